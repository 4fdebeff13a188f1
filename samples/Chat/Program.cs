using Gateway;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:3001");
// Resumable sessions: a page whose connection drops gets it back (rooms, missed messages) when it returns in time.
var gateways = builder.Services.AddGateways(o => o.Resumption.Enabled = true);
// JoinRequest is a [ValidatableType]: its generated validation is registered here.
builder.Services.AddValidation();
// The rooms' last messages, which a page that reconnects asks for (in memory: see ChatHistory).
builder.Services.AddSingleton<Chat.ChatHistory>();

// Scale out: instances started with the same --Gateway:Redis=host:port share rooms and pushes (README, "Scale out").
if (!string.IsNullOrEmpty(builder.Configuration[Gateway.Redis.RedisBackplaneOptions.ConfigurationKey]))
{
    gateways.AddRedisBackplane(builder.Configuration);
}

// Telemetry: Gateway's meter and activities beside ASP.NET Core's (docs/observability.md). The exporters are off
// unless --OpenTelemetry:Exporter=console or =otlp (OTEL_EXPORTER_OTLP_ENDPOINT) turns one on.
string? exporter = builder.Configuration["OpenTelemetry:Exporter"];
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("Chat"))
    .WithMetrics(metrics =>
    {
        metrics.AddMeter(GatewayDiagnostics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
        _ = exporter switch
        {
            "console" => metrics.AddConsoleExporter(),
            "otlp" => metrics.AddOtlpExporter(),
            _ => metrics,
        };
    })
    .WithTracing(tracing =>
    {
        tracing.AddSource(GatewayDiagnostics.ActivitySourceName, "Microsoft.AspNetCore");
        _ = exporter switch
        {
            "console" => tracing.AddConsoleExporter(),
            "otlp" => tracing.AddOtlpExporter(),
            _ => tracing,
        };
    });
builder.Services.AddHealthChecks().AddGatewayHealthChecks();

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGateways();
// The same gateway for socket.io-client pages (index.html?transport=socket.io), in its "chat" namespace.
app.MapSocketIO();
// The chat's AsyncAPI 3.0 document, with its [ClientEvents] contract as the messages the server sends.
app.MapGatewaysAsyncApi(configure: o => o.Title = "Chat");
// Ready while serving; unhealthy from the moment the application starts stopping.
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.Run();
