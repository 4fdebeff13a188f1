using System.Diagnostics.Metrics;
using System.Text.Json;
using Gateway.Redis.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Gateway.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Redis.Tests;

/// <summary>
/// Redis down at start or mid-run: local delivery goes on, a warning is logged, the drop is counted, and the backplane
/// reconnects and resubscribes by itself. These tests stop and restart the server, so each runs its own embedded Garnet
/// whatever GATEWAY_TEST_REDIS says.
/// </summary>
public sealed class FailureTests
{
    private static string Frame(string data) => JsonSerializer.Serialize(new { @event = "m", data });

    private static async Task JoinAsync(ClusterClient client, string room)
    {
        await client.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = room }));
        Assert.Equal("true", await client.ReceiveAsync());
    }

    /// <summary>Sends probes until the remote client has one: the cluster path works again.</summary>
    private static Task CrossNodeDeliveryWorksAsync(ClusterNode from, ClusterClient local, ClusterClient remote, string room) =>
        Eventually.TrueAsync(() =>
        {
            from.Server.Room(room).Send("m", "probe", ClusterJsonContext.Default.String);
            local.Drain();
            return remote.Drain().Contains(Frame("probe"));
        }, "a room message crosses nodes again");

    /// <summary>The gateways' health check of a node, as AddGatewayHealthChecks registers it.</summary>
    private static async Task<HealthStatus> HealthOfAsync(ClusterNode node) =>
        (await new GatewayHealthCheck(
            node.Services.GetRequiredService<ConnectionRegistries>(),
            node.Services.GetRequiredService<IHostApplicationLifetime>()).CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task Redis_down_mid_run_keeps_local_delivery_then_reconnects_resubscribes_and_restores_presence()
    {
        await using RedisServer redis = RedisServer.StartEmbedded();
        await using ClusterNode a = await ClusterNode.StartAsync(redis.Endpoint);
        await using ClusterNode b = await ClusterNode.StartAsync(redis.Endpoint);
        await using ClusterClient a1 = await a.ConnectAsync();
        await using ClusterClient b1 = await b.ConnectAsync();
        await JoinAsync(a1, "r");
        await JoinAsync(b1, "r");
        await a.SettledAsync();
        await b.SettledAsync();
        a.Server.Room("r").Send("m", "before", ClusterJsonContext.Default.String);
        Assert.Equal(Frame("before"), await a1.ReceiveAsync());
        Assert.Equal(Frame("before"), await b1.ReceiveAsync());

        using var dropped = new DroppedCounter(a.Services.GetRequiredService<IMeterFactory>());
        redis.Stop();
        await Eventually.TrueAsync(() => !a.Backplane.Redis!.IsConnected && !b.Backplane.Redis!.IsConnected, "both nodes see Redis gone");

        Assert.Equal(HealthStatus.Degraded, await HealthOfAsync(a));
        Assert.Equal(1, a.Server.Room("r").Send("m", "during", ClusterJsonContext.Default.String));
        Assert.Equal(Frame("during"), await a1.ReceiveAsync());
        Assert.Equal(1, dropped.Value);
        // Logged once per outage, by whichever notices first: the lost publish above, or StackExchange.Redis's
        // failure event on its own thread, which may have taken the once-flag and still be writing the line.
        await Eventually.TrueAsync(() => a.Logs.Has(LogLevel.Warning, nameof(RedisBackplane)), "a warning is logged when Redis goes away");

        redis.Start(); // empty: the restarted server has lost every key and subscription
        await CrossNodeDeliveryWorksAsync(a, a1, b1, "r");
        await CrossNodeDeliveryWorksAsync(b, b1, a1, "r");
        Assert.Equal(HealthStatus.Healthy, await HealthOfAsync(a));
        string[] members = [.. new[] { a1.Id, b1.Id }.Order(StringComparer.Ordinal)];
        await Eventually.TrueAsync(async () => (await b.Presence.GetRoomMembersAsync("r")).SequenceEqual(members), "presence is rewritten after the restart");
        Assert.Equal(["r"], await a.Presence.GetRoomsAsync(b1.Id));

        // At-most-once: what was sent during the outage never arrives elsewhere.
        a.Server.All.Send("fin");
        List<string> rest = [];
        while (rest.LastOrDefault() != """{"event":"fin"}""")
        {
            rest.Add(await b1.ReceiveAsync());
        }

        Assert.DoesNotContain(Frame("during"), rest);
    }

    [Fact]
    public async Task Redis_down_at_start_the_node_serves_locally_and_joins_the_cluster_when_Redis_comes()
    {
        await using RedisServer redis = RedisServer.NotStarted();
        await using ClusterNode a = await ClusterNode.StartAsync(redis.Endpoint);
        Assert.True(a.Logs.Has(LogLevel.Warning, nameof(RedisBackplane)), "a warning is logged when Redis is unreachable at start");
        await using ClusterClient a1 = await a.ConnectAsync();
        await JoinAsync(a1, "r");
        Assert.Equal(1, a.Server.Room("r").Send("m", "local", ClusterJsonContext.Default.String));
        Assert.Equal(Frame("local"), await a1.ReceiveAsync());
        Assert.True(a.Backplane.Metrics.DroppedCount >= 1);

        redis.Start();
        await Eventually.TrueAsync(() => a.Backplane.Redis!.IsConnected, "the node connects by itself");
        await using ClusterNode b = await ClusterNode.StartAsync(redis.Endpoint);
        await using ClusterClient b1 = await b.ConnectAsync();
        await JoinAsync(b1, "r");
        await CrossNodeDeliveryWorksAsync(b, b1, a1, "r");
        await CrossNodeDeliveryWorksAsync(a, a1, b1, "r");
        await Eventually.TrueAsync(async () => (await b.Presence.GetRoomsAsync(a1.Id)).SequenceEqual(["r"]), "the late node's presence is written");
    }

    [Fact]
    public async Task FailStartup_policy_refuses_to_start_without_Redis()
    {
        await using RedisServer redis = RedisServer.NotStarted();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ClusterNode.StartAsync(redis.Endpoint, o => o.FailurePolicy = RedisFailurePolicy.FailStartup));
        Assert.Contains("FailStartup", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_are_validated_at_start()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddGatewayCore().AddGateway<ClusterGateway>()
            .AddRedisBackplane(builder.Configuration, o => o.HeartbeatInterval = TimeSpan.FromMinutes(5));
        await using WebApplication app = builder.Build();
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(failure.Failures, f => f.Contains("Gateway:Redis", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("HeartbeatInterval", StringComparison.Ordinal));
    }

    /// <summary>Sums <c>gateway.backplane.dropped</c> of one host (its meter factory).</summary>
    private sealed class DroppedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _value;

        public DroppedCounter(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "gateway.backplane.dropped" && instrument.Meter.Scope == factory)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _value, value));
            _listener.Start();
        }

        public long Value => Interlocked.Read(ref _value);

        public void Dispose() => _listener.Dispose();
    }
}
