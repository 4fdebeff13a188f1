using System.Net;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;

namespace Gateway.Tests;

/// <summary>
/// Cross-site WebSocket hijacking: a page of another site must not open a connection with the user's cookies, so a
/// handshake whose <c>Origin</c> is neither the gateway's own nor an allowed one is refused with 403.
/// </summary>
public sealed class OriginTests
{
    private static Task<GatewayServer> StartAsync(params string[] allowed) =>
        GatewayServer.StartAsync(g => g.AddGateway<HardeningGateway>(), o =>
        {
            foreach (string origin in allowed)
            {
                o.AllowedOrigins.Add(origin);
            }
        });

    /// <summary>Connects with <paramref name="origin"/> (none when null); returns the handshake's status code.</summary>
    private static async Task<HttpStatusCode> HandshakeAsync(GatewayServer server, string? origin)
    {
        (TestClient? client, HttpStatusCode status) = await TestClient.TryConnectAsync(
            server.Url("/hardening"), options => { if (origin is not null) options.SetRequestHeader("Origin", origin); });
        if (client is not null)
        {
            using TestClient _ = client;
            await client.SendAsync("""{"event":"echo","data":"hi"}""");
            Assert.Equal("\"hi\"", await client.ReceiveAsync());
        }

        return status;
    }

    [Fact]
    public async Task By_default_only_the_gateways_own_origin_and_clients_without_one_connect()
    {
        await using GatewayServer server = await StartAsync();
        using var rejected = new MetricCollector<long>(
            server.Services.GetRequiredService<IMeterFactory>(), "Gateway", "gateway.server.connections.rejected");
        string own = $"http://{server.BaseUri.Authority}";

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, origin: null));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, own));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, own.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(server, "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(server, $"https://{server.BaseUri.Authority}"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(server, $"http://{server.BaseUri.Host}:1"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(server, "null"));

        Assert.Equal(4, rejected.GetMeasurementSnapshot().Where(m => Equals(m.Tags["gateway.reject.reason"], "origin")).Sum(m => m.Value));
        Assert.Equal(0, server.Services.GetRequiredService<IGatewayServer<HardeningGateway>>().ConnectionCount);
    }

    [Fact]
    public async Task Configured_origins_connect_and_others_stay_refused()
    {
        await using GatewayServer server = await StartAsync("https://app.example", "http://localhost:5173/");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, "https://app.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, "https://APP.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, "http://localhost:5173"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(server, "http://app.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(server, "https://app.example.evil.example"));
    }

    [Fact]
    public async Task A_star_allows_every_origin()
    {
        await using GatewayServer server = await StartAsync("*");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(server, "http://anywhere.example"));
    }
}
