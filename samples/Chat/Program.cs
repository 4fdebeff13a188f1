var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:3001");
var gateways = builder.Services.AddGateways();
// JoinRequest is a [ValidatableType]: its generated validation is registered here.
builder.Services.AddValidation();

// Scale out: instances started with the same --Gateway:Redis=host:port share rooms and pushes (README, "Scale out").
if (!string.IsNullOrEmpty(builder.Configuration[Gateway.Redis.RedisBackplaneOptions.ConfigurationKey]))
{
    gateways.AddRedisBackplane(builder.Configuration);
}

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGateways();
app.Run();
