using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.WebSockets;
using Gateway.Infrastructure;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.Tests;

/// <summary>
/// Frames sent to a client while pushes wait in its queue: they keep their order, obey the queue's bound and their
/// sender's token, and every frame that is not sent is counted (<see cref="GatewayClient.FramesDropped"/> and the
/// <c>gateway.frames.dropped</c> counter). The slow client never reads until the test says so, and both ends of
/// its TCP connection have small fixed buffers, so at most <see cref="MostInFlight"/> bytes can leave its queue:
/// whatever is pushed beyond that stays queued however the machine schedules the drain, and the counts below do not
/// depend on timing.
/// </summary>
public sealed class OutboxTests
{
    private const int Limit = 64 * 1024;

    /// <summary>The send buffer of the server's socket and the receive buffer of the client's, as set (Linux doubles it).</summary>
    private const int SocketBuffer = 16 * 1024;

    /// <summary>
    /// The most bytes that can leave a queue while its client does not read: both socket buffers (doubled by the
    /// kernel) and, with a wide margin, Kestrel's output pipes (each pauses its writer at 64 KiB) and a frame in flight.
    /// </summary>
    private const int MostInFlight = (2 * 2 * SocketBuffer) + (1024 * 1024);

    /// <summary>What stays queued after pushing <see cref="MostInFlight"/> bytes more than it.</summary>
    private const int Stuck = 64 * 1024;

    private static readonly string s_filler = new('x', 1000);

    private static Task<GatewayServer> StartAsync(Action<GatewayOptions> configure) =>
        GatewayServer.StartAsync(
            g => g.AddGateway<ChatGateway>(),
            configure,
            services => GatewayServer.FixSendBuffer(services, SocketBuffer));

    private static MetricCollector<long> CollectDrops(GatewayServer server) =>
        new(server.Services.GetRequiredService<IMeterFactory>(), "Gateway", "gateway.server.frames.dropped");

    private static long Dropped(MetricCollector<long> drops, string reason) =>
        drops.GetMeasurementSnapshot().Where(m => Equals(m.Tags["gateway.drop.reason"], reason)).Sum(m => m.Value);

    private static async Task<(TestClient Client, GatewayClient OnServer)> ConnectAsync(GatewayServer server)
    {
        TestClient client = await TestClient.ConnectAsync(server.Url("/chat"), SocketBuffer);
        await client.SendAsync("""{"event":"whoami"}""");
        string id = (await client.ReceiveAsync()).Trim('"');
        return (client, server.Services.GetRequiredService<IGatewayServer<ChatGateway>>().GetClient(id)!);
    }

    private static int Sequence(string frame)
    {
        int start = frame.IndexOf("\"data\":\"", StringComparison.Ordinal) + 8;
        // Says which frame broke the order, should one ever be neither a numbered push nor the reply.
        Assert.True(
            start >= 8 && frame.IndexOf(':', start) > 0,
            $"Not a numbered push ({frame.Length} chars): {frame[..Math.Min(120, frame.Length)]} ... {frame[Math.Max(0, frame.Length - 60)..]}");
        return int.Parse(frame.AsSpan()[start..frame.IndexOf(':', start)], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Pushes numbered 1 KB frames to a client that does not read until more than <see cref="MostInFlight"/> +
    /// <see cref="Stuck"/> bytes were pushed: at least <see cref="Stuck"/> bytes then stay in its queue.
    /// </summary>
    /// <returns>The number of frames pushed.</returns>
    private static int PushPastTheBuffers(GatewayServer server, GatewayClient client)
    {
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        int pushed = 0;
        for (long bytes = 0; bytes <= MostInFlight + Stuck; pushed++)
        {
            string payload = $"{pushed}:{s_filler}";
            Assert.Equal(1, chat.Client(client.Id).Send("seq", payload, GatewayJsonContext.Default.String));
            bytes += payload.Length; // less than the frame: the bound holds
        }

        Assert.True(client.QueuedBytes >= Stuck, $"{client.QueuedBytes} bytes queued; the buffers hold more than MostInFlight.");
        return pushed;
    }

    [Fact]
    public async Task Drop_oldest_counts_every_dropped_frame_and_a_reply_behind_the_pushes_arrives_after_them()
    {
        await using GatewayServer server = await StartAsync(o =>
        {
            o.MaxQueuedBytesPerConnection = Limit;
            o.SlowConsumerPolicy = SlowConsumerPolicy.DropOldest;
        });
        using MetricCollector<long> drops = CollectDrops(server);
        (TestClient slow, GatewayClient onServer) = await ConnectAsync(server);
        using TestClient _ = slow;
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();

        const int Frames = 30_000;
        for (int i = 0; i < Frames; i++)
        {
            chat.Client(onServer.Id).Send("seq", $"{i}:{s_filler}", GatewayJsonContext.Default.String);
        }

        // Pushes wait, so the reply queues behind them.
        Assert.True(onServer.QueuedBytes > 0);
        await slow.SendAsync("""{"event":"echo","data":"reply"}""");

        int last = -1;
        int received = 0;
        string frame;
        while ((frame = await slow.ReceiveAsync()) != "\"reply\"")
        {
            int sequence = Sequence(frame);
            Assert.True(sequence > last, $"frame {sequence} after {last}");
            last = sequence;
            received++;
        }

        Assert.Equal(Frames - 1, last);
        Assert.True(received < Frames, "No frame was dropped.");
        Assert.Equal(Frames - received, onServer.FramesDropped);
        Assert.Equal(Frames - received, Dropped(drops, "queue_full"));
        Assert.Equal(Frames - received, drops.GetMeasurementSnapshot().Sum(m => m.Value));

        await slow.SendAsync("""{"event":"whoami"}""");
        Assert.Equal($"\"{onServer.Id}\"", await slow.ReceiveAsync());
    }

    [Fact]
    public async Task A_reply_that_would_take_the_queue_over_its_bound_closes_the_slow_consumer()
    {
        // Pushing past the buffers stays under the bound; a reply as large as the bound then takes the queue over it.
        const int Bound = MostInFlight + Stuck + (256 * 1024);
        await using GatewayServer server = await StartAsync(o =>
        {
            o.MaxQueuedBytesPerConnection = Bound;
            o.MaxMessageSize = 2 * Bound;
            o.CloseTimeout = TimeSpan.FromSeconds(1);
        });
        using MetricCollector<long> drops = CollectDrops(server);
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        (TestClient slow, GatewayClient onServer) = await ConnectAsync(server);
        using TestClient _ = slow;

        PushPastTheBuffers(server, onServer);
        Assert.Equal(0, Dropped(drops, "queue_full"));
        string big = new('r', Bound);
        await slow.SendAsync($$"""{"event":"echo","data":"{{big}}"}""");

        await Eventually.HoldsAsync(() => chat.GetClient(onServer.Id) is null);
        Assert.Equal(1, Dropped(drops, "queue_full"));
        Assert.Equal(0, chat.ConnectionCount);

        // Whatever the client still gets before the connection ends, the reply is not among it.
        try
        {
            while (true)
            {
                TestClient.Message message = await slow.ReceiveMessageAsync();
                if (message.Type == WebSocketMessageType.Close)
                {
                    break;
                }

                Assert.StartsWith("""{"event":"seq","data":""", message.Text, StringComparison.Ordinal);
            }
        }
        catch (WebSocketException)
        {
            // Aborted: the close frame could not be sent past the pushes the client never read.
        }
    }

    [Fact]
    public async Task A_frame_queued_behind_pushes_is_dropped_when_its_token_is_cancelled_before_its_turn()
    {
        await using GatewayServer server = await StartAsync(o => o.MaxQueuedBytesPerConnection = 4 * MostInFlight);
        using MetricCollector<long> drops = CollectDrops(server);
        (TestClient slow, GatewayClient onServer) = await ConnectAsync(server);
        using TestClient _ = slow;

        int pushed = PushPastTheBuffers(server, onServer);
        await slow.SendAsync("""{"event":"sendThenCancel","data":"late"}""");

        int next = 0;
        string frame;
        while ((frame = await slow.ReceiveAsync()) != "\"sent\"")
        {
            Assert.Equal(next++, Sequence(frame));
        }

        Assert.Equal(pushed, next);
        Assert.Equal(1, onServer.FramesDropped);
        Assert.Equal(1, Dropped(drops, "canceled"));
        Assert.Equal(1, drops.GetMeasurementSnapshot().Sum(m => m.Value));
        await slow.SendAsync("""{"event":"whoami"}""");
        Assert.Equal($"\"{onServer.Id}\"", await slow.ReceiveAsync());
    }

}
