using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 with an ephemeral port, hosting the gateways a test adds.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayServer> StartAsync(
        Action<IGatewayBuilder> addGateways,
        Action<GatewayOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? configureApp = null,
        Action<GatewayEndpointConventionBuilder>? conventions = null,
        int port = 0)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        // Port 0 picks a free port; a test that restarts a server passes the first one's port again.
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        addGateways(builder.Services.AddGatewayCore(configure));
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        configureApp?.Invoke(app);
        GatewayEndpointConventionBuilder mapped = app.MapGateways();
        conventions?.Invoke(mapped);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var http = new Uri(address);
        return new GatewayServer(app, new UriBuilder(http) { Scheme = "ws" }.Uri);
    }

    public Uri Url(string path) => new(BaseUri, path);

    /// <summary>
    /// Fixes the send buffer of every accepted socket at <paramref name="bytes"/> (set before the first send, the
    /// kernel never grows it), so that a client that does not read fills it with a known, small amount.
    /// </summary>
    public static void FixSendBuffer(IServiceCollection services, int bytes) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(
            listen => listen.Use(next => connection =>
            {
                connection.Features.GetRequiredFeature<IConnectionSocketFeature>().Socket.SendBufferSize = bytes;
                return next(connection);
            })));

    public Task<TestClient> ConnectAsync(string path = "/") => TestClient.ConnectAsync(Url(path));

    /// <summary>
    /// Fails when anything was logged above Information: nothing a client does may be logged louder. Needs the
    /// fake logger (<c>services.AddFakeLogging()</c>).
    /// </summary>
    public void AssertNothingLoggedAboveInformation()
    {
        FakeLogRecord[] loud = [.. Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level > LogLevel.Information)];
        Assert.True(loud.Length == 0, string.Join('\n', loud.Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}")));
    }

    /// <summary>Stops the application gracefully, as a host does on SIGTERM.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
