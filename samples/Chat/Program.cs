var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:3001");
builder.Services.AddGateways();

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGateways();
app.Run();
