using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Threading.RateLimiting;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.Tests;

/// <summary>
/// Rate limits per connection (every message) and per handler (<see cref="RateLimitAttribute"/>), with
/// System.Threading.RateLimiting: a message over a limit is not handled, gets "Too many requests" (or its connection
/// 1008), is counted, and the limit recovers; other connections are not affected.
/// </summary>
public sealed class RateLimitTests
{
    private const string TooMany = """{"event":"exception","data":{"status":"error","message":"Too many requests","cause":{"pattern":""";

    /// <summary>A limiter with a window per connection: <paramref name="permits"/> messages per <paramref name="window"/>.</summary>
    private static PartitionedRateLimiter<GatewayClient> PerConnection(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<GatewayClient, string>(client => RateLimitPartition.GetFixedWindowLimiter(
            client.Id, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));

    private static Task<GatewayServer> StartAsync(Action<GatewayOptions> configure) =>
        GatewayServer.StartAsync(g => g.AddGateway<RateLimitedGateway>(), o =>
        {
            o.RateLimiting.Policies["chat"] = PerConnection(2, TimeSpan.FromHours(1));
            configure(o);
        });

    private static MetricCollector<long> CollectDrops(GatewayServer server) =>
        new(server.Services.GetRequiredService<IMeterFactory>(), "Gateway", "gateway.server.errors");

    [Fact]
    public async Task Messages_over_the_connections_limit_get_too_many_requests_and_other_connections_do_not()
    {
        await using GatewayServer server = await StartAsync(o => o.RateLimiting.Messages = PerConnection(5, TimeSpan.FromHours(1)));
        using MetricCollector<long> drops = CollectDrops(server);
        using TestClient busy = await server.ConnectAsync("/limited");
        using TestClient other = await server.ConnectAsync("/limited");

        var replies = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            await busy.SendAsync("""{"event":"free"}""");
            replies.Add(await busy.ReceiveAsync());
        }

        Assert.Equal(5, replies.Count(r => r == "\"ok\""));
        Assert.Equal(2, replies.Count(r => r.StartsWith(TooMany + "\"free\"}}}", StringComparison.Ordinal)));
        Assert.Equal(2, drops.GetMeasurementSnapshot().Where(m => Equals(m.Tags["error.type"], "rate_limited")).Sum(m => m.Value));

        // Malformed frames take permits too, so a flood of garbage is limited as well; they get no cause.
        await busy.SendAsync("not json");
        Assert.Equal("""{"event":"exception","data":{"status":"error","message":"Too many requests"}}""", await busy.ReceiveAsync());

        await other.SendAsync("""{"event":"free"}""");
        Assert.Equal("\"ok\"", await other.ReceiveAsync());
    }

    [Fact]
    public async Task A_connection_over_its_limit_recovers_when_the_window_passes()
    {
        await using GatewayServer server = await StartAsync(o => o.RateLimiting.Messages = PerConnection(3, TimeSpan.FromMilliseconds(300)));
        using TestClient client = await server.ConnectAsync("/limited");

        // Hit the limit: within one window only 3 pass, so some message of a quick run is refused.
        string reply;
        int sent = 0;
        do
        {
            await client.SendAsync("""{"event":"free"}""");
            reply = await client.ReceiveAsync();
            Assert.True(++sent < 1000, "the limit was never hit");
        }
        while (reply == "\"ok\"");

        Assert.StartsWith(TooMany, reply, StringComparison.Ordinal);
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        do
        {
            await Task.Delay(50, timeout.Token);
            await client.SendAsync("""{"event":"free"}""");
            reply = await client.ReceiveAsync();
        }
        while (reply != "\"ok\"");
    }

    [Fact]
    public async Task A_handlers_policy_limits_that_handler_only()
    {
        await using GatewayServer server = await StartAsync(_ => { });
        using TestClient client = await server.ConnectAsync("/limited");

        var replies = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync($$"""{"event":"chat","data":"m{{i}}"}""");
            replies.Add(await client.ReceiveAsync());
        }

        Assert.Equal(["\"m0\"", "\"m1\"", TooMany + "\"chat\",\"data\":\"m2\"}}}"], replies);
        await client.SendAsync("""{"event":"free"}""");
        Assert.Equal("\"ok\"", await client.ReceiveAsync());
    }

    [Fact]
    public async Task With_close_a_connection_over_its_limit_is_closed_with_1008()
    {
        await using GatewayServer server = await StartAsync(o =>
        {
            o.RateLimiting.Messages = PerConnection(2, TimeSpan.FromHours(1));
            o.RateLimiting.OnRejected = RateLimitedAction.Close;
        });
        using TestClient client = await server.ConnectAsync("/limited");
        using TestClient canary = await server.ConnectAsync("/limited");

        for (int i = 0; i < 2; i++)
        {
            await client.SendAsync("""{"event":"free"}""");
            Assert.Equal("\"ok\"", await client.ReceiveAsync());
        }

        await client.SendAsync("""{"event":"free"}""");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.ReceiveCloseAsync());
        await canary.SendAsync("""{"event":"free"}""");
        Assert.Equal("\"ok\"", await canary.ReceiveAsync());
    }

    [Fact]
    public async Task A_missing_policy_stops_the_start_with_a_message_that_names_it()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => GatewayServer.StartAsync(g => g.AddGateway<RateLimitedGateway>()));

        Assert.Contains("[RateLimit(\"chat\")]", error.Message, StringComparison.Ordinal);
        Assert.Contains("o.RateLimiting.Policies[\"chat\"]", error.Message, StringComparison.Ordinal);
    }
}
