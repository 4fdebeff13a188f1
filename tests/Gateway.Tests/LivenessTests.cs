using Gateway.Internal;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Peers that are gone without a close, or stalled in the middle of a message, are dropped by the ping/pong
/// keep-alive, while a connection that answers pings (the canary, round-tripping throughout) stays.
/// </summary>
public sealed class LivenessTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private IGatewayServer<HardeningGateway> _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(g => g.AddGateway<HardeningGateway>(), o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            o.KeepAliveTimeout = TimeSpan.FromSeconds(2);
        });
        _gateway = _server.Services.GetRequiredService<IGatewayServer<HardeningGateway>>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Silent_and_stalled_peers_are_dropped_and_the_canary_is_not()
    {
        using TestClient canary = await _server.ConnectAsync("/hardening");
        using var stop = new CancellationTokenSource();
        await canary.SendAsync("""{"event":"whoami"}""");
        string canaryId = (await canary.ReceiveAsync()).Trim('"');
        Task<int> roundTrips = RoundTripUntilAsync(canary, stop.Token);

        var peers = new List<RawWebSocket>();
        WeakReference[] dropped;
        try
        {
            // Each peer lives at least a keep-alive interval and timeout (2.2 s): note each one as soon as it is
            // registered, so that a slow machine connecting the ten does not lose the first before it was seen.
            ConnectionRegistry registry = _server.Services.GetRequiredService<ConnectionRegistries>().For("/hardening");
            var seen = new Dictionary<string, WeakReference>();
            for (int i = 0; i < 10; i++)
            {
                // Half of them never send a byte after the handshake; the other half stop inside a message.
                (RawWebSocket peer, string response) = await RawWebSocket.ConnectAsync(_server.BaseUri, "/hardening");
                peers.Add(peer);
                Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
                if (i % 2 == 1)
                {
                    byte[] frame = RawWebSocket.Frame(0x1, new byte[100]);
                    await peer.Stream.WriteAsync(frame.AsMemory(0, 40));
                }

                int expected = i + 1;
                await Eventually.HoldsAsync(() =>
                {
                    foreach (GatewayClient client in registry.Clients.Where(c => c.Id != canaryId))
                    {
                        seen.TryAdd(client.Id, new WeakReference(client));
                    }

                    return seen.Count == expected;
                });
            }

            dropped = [.. seen.Values];
            await Eventually.HoldsAsync(() => _gateway.ConnectionCount == 1);
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }

        await stop.CancelAsync();
        Assert.True(await roundTrips > 0);
        Assert.Equal(1, _gateway.ConnectionCount);

        // Nothing keeps a dropped connection: its client object (and with it its outbox and state) is collected,
        // its pooled buffers went back when its receive loop ended.
        await Eventually.HoldsAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return dropped.All(static r => !r.IsAlive);
        });
    }

    [Fact]
    public async Task A_handler_that_runs_longer_than_the_keep_alive_does_not_cost_its_connection()
    {
        using TestClient client = await _server.ConnectAsync("/hardening");

        await client.SendAsync("""{"event":"slow","data":3000}""");

        Assert.Equal("3000", await client.ReceiveAsync());
        await client.SendAsync("""{"event":"echo","data":"still here"}""");
        Assert.Equal("\"still here\"", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_message_started_and_never_finished_is_dropped_even_without_keep_alive()
    {
        // Keep-alive off: only MessageTimeout can end this connection, whose client sends the first fragment of a
        // message and nothing else (a client that answered pings between fragments would look the same to it).
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<HardeningGateway>(), o =>
        {
            o.KeepAliveTimeout = Timeout.InfiniteTimeSpan;
            o.MessageTimeout = TimeSpan.FromMilliseconds(500);
        });
        IGatewayServer<HardeningGateway> gateway = server.Services.GetRequiredService<IGatewayServer<HardeningGateway>>();
        using TestClient canary = await server.ConnectAsync("/hardening");
        (RawWebSocket peer, string response) = await RawWebSocket.ConnectAsync(server.BaseUri, "/hardening");
        using RawWebSocket _ = peer;
        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);

        await peer.Stream.WriteAsync(RawWebSocket.Frame(0x1, """{"event":"echo","data":"never finished"""u8, fin: false));

        await Eventually.HoldsAsync(() => gateway.ConnectionCount == 1);

        await canary.SendAsync("""{"event":"echo","data":"canary"}""");
        Assert.Equal("\"canary\"", await canary.ReceiveAsync());
    }

    /// <summary>Round-trips until <paramref name="stop"/>; every reply must come (a ClientWebSocket answers pings while it receives).</summary>
    private static async Task<int> RoundTripUntilAsync(TestClient client, CancellationToken stop)
    {
        int count = 0;
        while (!stop.IsCancellationRequested)
        {
            await client.SendAsync($$"""{"event":"echo","data":"{{count}}"}""");
            Assert.Equal($"\"{count}\"", await client.ReceiveAsync());
            count++;
        }

        return count;
    }
}
