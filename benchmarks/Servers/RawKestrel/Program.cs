using RawKestrel;

var builder = WebApplication.CreateSlimBuilder(args);
// Same listening rule as the Events sample: --urls (or ASPNETCORE_URLS) overrides the default.
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:3000");

var app = builder.Build();
app.UseWebSockets();
app.Map("/", EventsSocket.HandleAsync);
app.Run();
