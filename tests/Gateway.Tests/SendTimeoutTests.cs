using System.Diagnostics.Metrics;
using Gateway.Infrastructure;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests;

/// <summary>
/// A client that sends but never reads: once a frame for it (a reply or a push) has waited
/// <see cref="GatewayOptions.SendTimeout"/>, it is dropped and the frame counted, and the canary keeps round-tripping.
/// Both ends of its TCP connection have small fixed buffers, so what it does not read blocks the server's send.
/// </summary>
public sealed class SendTimeoutTests : IAsyncLifetime
{
    private const int SocketBuffer = 16 * 1024;

    private GatewayServer _server = null!;
    private IGatewayServer<HardeningGateway> _gateway = null!;
    private TestClient _canary = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<HardeningGateway>(),
            o =>
            {
                o.SendTimeout = TimeSpan.FromSeconds(1);
                o.MaxQueuedBytesPerConnection = 64 * 1024 * 1024;
            },
            services =>
            {
                GatewayServer.FixSendBuffer(services, SocketBuffer);
                services.AddFakeLogging();
            });
        _gateway = _server.Services.GetRequiredService<IGatewayServer<HardeningGateway>>();
        _canary = await _server.ConnectAsync("/hardening");
    }

    public async Task DisposeAsync()
    {
        _canary.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_is_dropped()
    {
        using MetricCollector<long> drops = CollectDrops();
        using TestClient deaf = await TestClient.ConnectAsync(_server.Url("/hardening"), SocketBuffer);
        await AssertCountAsync(2);

        // 40 replies of 100 KB: far more than both socket buffers and Kestrel's pipes hold.
        for (int i = 0; i < 40; i++)
        {
            await deaf.SendAsync("""{"event":"big","data":100000}""");
        }

        await AssertCountAsync(1);
        Assert.Equal(1, Dropped(drops, "send_timeout"));
        await AssertCanaryAsync();
    }

    [Fact]
    public async Task A_client_that_never_reads_its_pushes_is_dropped_under_the_queue_bound()
    {
        using MetricCollector<long> drops = CollectDrops();
        using TestClient deaf = await TestClient.ConnectAsync(_server.Url("/hardening"), SocketBuffer);
        await deaf.SendAsync("""{"event":"whoami"}""");
        string id = (await deaf.ReceiveAsync()).Trim('"');

        string payload = new('p', 10_000);
        for (int i = 0; i < 400; i++)
        {
            Assert.Equal(1, _gateway.Client(id).Send("push", payload, GatewayJsonContext.Default.String));
        }

        await AssertCountAsync(1);
        Assert.Equal(1, Dropped(drops, "send_timeout"));
        Assert.Equal(0, Dropped(drops, "queue_full"));
        await AssertCanaryAsync();
    }

    private MetricCollector<long> CollectDrops() =>
        new(_server.Services.GetRequiredService<IMeterFactory>(), "Gateway", "gateway.server.frames.dropped");

    private static long Dropped(MetricCollector<long> drops, string reason) =>
        drops.GetMeasurementSnapshot().Where(m => Equals(m.Tags["gateway.drop.reason"], reason)).Sum(m => m.Value);

    private Task AssertCountAsync(int count) => Eventually.HoldsAsync(() => _gateway.ConnectionCount == count);

    private async Task AssertCanaryAsync()
    {
        await _canary.SendAsync("""{"event":"echo","data":"canary"}""");
        Assert.Equal("\"canary\"", await _canary.ReceiveAsync());
        _server.AssertNothingLoggedAboveInformation();
    }
}
