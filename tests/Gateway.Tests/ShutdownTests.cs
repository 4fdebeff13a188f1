using System.Globalization;
using System.Net.WebSockets;
using Gateway.Infrastructure;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests;

/// <summary>
/// A graceful stop: handlers in flight see their token fire, every frame queued for a client is delivered, then the
/// client gets 1001 and the disconnect hooks run once; nothing is logged above Information.
/// </summary>
public sealed class ShutdownTests
{
    private const int SocketBuffer = 16 * 1024;

    private static Task<GatewayServer> StartAsync() =>
        GatewayServer.StartAsync(
            g => g.AddGateway<ShutdownGateway>(),
            o => o.MaxQueuedBytesPerConnection = 64 * 1024 * 1024,
            services =>
            {
                GatewayServer.FixSendBuffer(services, SocketBuffer);
                services.AddSingleton<ShutdownProbe>();
                services.AddFakeLogging();
            });

    [Fact]
    public async Task Queued_frames_are_delivered_before_the_1001_close()
    {
        await using GatewayServer server = await StartAsync();
        IGatewayServer<ShutdownGateway> gateway = server.Services.GetRequiredService<IGatewayServer<ShutdownGateway>>();
        using TestClient client = await TestClient.ConnectAsync(server.Url("/shutdown"), SocketBuffer);
        await client.SendAsync("""{"event":"whoami"}""");
        string id = (await client.ReceiveAsync()).Trim('"');

        // 3 MB for a client that does not read yet: most of it waits in the queue when the stop begins.
        const int Frames = 300;
        string filler = new('f', 10_000);
        for (int i = 0; i < Frames; i++)
        {
            Assert.Equal(1, gateway.Client(id).Send("n", $"{i}:{filler}", GatewayJsonContext.Default.String));
        }

        GatewayClient onServer = gateway.GetClient(id)!;
        Assert.True(onServer.QueuedBytes > 0);
        Task stopping = server.StopAsync();

        for (int i = 0; i < Frames; i++)
        {
            string frame = await client.ReceiveAsync();
            Assert.StartsWith($$"""{"event":"n","data":"{{i.ToString(CultureInfo.InvariantCulture)}}:""", frame, StringComparison.Ordinal);
        }

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        await stopping.WaitAsync(TestClient.Timeout);
        Assert.Equal(0, onServer.FramesDropped);
        Assert.Equal(0, gateway.ConnectionCount);
        server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_handler_in_flight_sees_its_token_fire_and_its_client_gets_1001()
    {
        await using GatewayServer server = await StartAsync();
        ShutdownProbe probe = server.Services.GetRequiredService<ShutdownProbe>();
        using TestClient client = await server.ConnectAsync("/shutdown");
        await client.SendAsync("""{"event":"wait"}""");
        await probe.Started.Task.WaitAsync(TestClient.Timeout);

        Task stopping = server.StopAsync();

        await probe.Canceled.Task.WaitAsync(TestClient.Timeout);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        await stopping.WaitAsync(TestClient.Timeout);
        server.AssertNothingLoggedAboveInformation();
    }
}
