var builder = WebApplication.CreateSlimBuilder(args);
// The article's server listens on port 3000; --urls (or ASPNETCORE_URLS) overrides it.
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:3000");
builder.Services.AddGateways();

var app = builder.Build();
app.UseWebSockets();
app.MapGateways();
// The same gateway for socket.io-client apps (NestJS's default adapter), at /socket.io/ on the same port.
app.MapSocketIO();
// Its AsyncAPI 3.0 document (channels, operations, message and reply schemas), for tools and client generators.
app.MapGatewaysAsyncApi();
app.Run();
