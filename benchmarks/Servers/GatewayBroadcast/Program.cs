var builder = WebApplication.CreateSlimBuilder(args);
// Same listening rule as the Events sample: --urls (or ASPNETCORE_URLS) overrides the default.
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:3000");
builder.Services.AddGateways();

var app = builder.Build();
app.UseWebSockets();
app.MapGateways();
app.Run();
