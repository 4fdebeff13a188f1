using System.Net.WebSockets;
using System.Text;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>Message size limits, fragmentation and per-connection parallelism.</summary>
public sealed class LimitsTests
{
    private static byte[] LengthMessage(int length) =>
        Encoding.UTF8.GetBytes($$"""{"event":"length","data":"{{new string('x', length)}}"}""");

    [Fact]
    public async Task A_5_MB_message_in_1_KB_fragments_is_joined_under_a_raised_limit()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<LimitsGateway>(),
            o => o.MaxMessageSize = 8 * 1024 * 1024);
        using TestClient client = await server.ConnectAsync("/limits");

        await client.SendAsync(LengthMessage(5_000_000), WebSocketMessageType.Text, fragmentSize: 1024);
        Assert.Equal("5000000", await client.ReceiveAsync());

        // Binary fragments are joined the same way, and the connection keeps working after a large message.
        await client.SendAsync(LengthMessage(3000), WebSocketMessageType.Binary, fragmentSize: 7);
        Assert.Equal("3000", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_frame_header_announcing_more_than_the_limit_closes_with_1009_before_its_payload_comes()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<LimitsGateway>());
        using TestClient other = await server.ConnectAsync("/limits");
        (RawWebSocket peer, string response) = await RawWebSocket.ConnectAsync(server.BaseUri, "/limits");
        using RawWebSocket _ = peer;
        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);

        // A text frame announcing 2 GiB (the 64-bit length form), then 10 bytes of it and silence: reading up to the
        // limit would wait for bytes that never come; the header alone says the message is too big.
        byte[] header = [0x81, 0x80 | 127, 0, 0, 0, 0, 0x80, 0, 0, 0, 1, 2, 3, 4];
        await peer.Stream.WriteAsync(header);
        await peer.Stream.WriteAsync(new byte[10]);

        byte[] close = new byte[4];
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        await peer.Stream.ReadExactlyAsync(close, timeout.Token);
        Assert.Equal([0x88, 0x11, 0x03, 0xF1], close); // close, 17 bytes: 1009 and "Message too big"

        await other.SendAsync(LengthMessage(3), WebSocketMessageType.Text);
        Assert.Equal("3", await other.ReceiveAsync());
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_with_1009_and_other_connections_keep_working()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<LimitsGateway>());
        using TestClient other = await server.ConnectAsync("/limits");
        using TestClient client = await server.ConnectAsync("/limits");

        // Exactly at the limit is fine; one byte more is not.
        int overhead = LengthMessage(0).Length;
        await client.SendAsync(LengthMessage((1024 * 1024) - overhead), WebSocketMessageType.Text, fragmentSize: 64 * 1024);
        Assert.Equal(((1024 * 1024) - overhead).ToString(System.Globalization.CultureInfo.InvariantCulture), await client.ReceiveAsync());

        await client.SendAsync(LengthMessage((1024 * 1024) - overhead + 1), WebSocketMessageType.Text, fragmentSize: 64 * 1024);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());

        await other.SendAsync("""{"event":"identity","data":1}""");
        Assert.Equal("1", await other.ReceiveAsync());
    }

    // Sizes around the receive buffer: exactly full, one byte over (the buffer grows), far over, then small again.
    private static readonly int[] s_sizesAroundTheBuffer =
    [
        Gateway.Internal.GatewayConnection.InitialBufferSize - 1, Gateway.Internal.GatewayConnection.InitialBufferSize,
        Gateway.Internal.GatewayConnection.InitialBufferSize + 1, 3, 70_000, 1, Gateway.Internal.GatewayConnection.InitialBufferSize + 1, 40,
    ];

    [Theory]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public async Task Messages_around_the_buffer_size_arrive_whole_one_at_a_time(int fragmentSize)
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<LimitsGateway>());
        using TestClient client = await server.ConnectAsync("/limits");
        int overhead = LengthMessage(0).Length;

        // Each message is waited for: the server waits for the next one without a buffer.
        foreach (int total in s_sizesAroundTheBuffer)
        {
            int length = Math.Max(0, total - overhead);
            await client.SendAsync(LengthMessage(length), WebSocketMessageType.Text, fragmentSize);
            Assert.Equal(length.ToString(System.Globalization.CultureInfo.InvariantCulture), await client.ReceiveAsync());
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public async Task Messages_around_the_buffer_size_arrive_whole_when_sent_back_to_back(int fragmentSize)
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<LimitsGateway>());
        using TestClient client = await server.ConnectAsync("/limits");
        int overhead = LengthMessage(0).Length;

        // All sent before any reply is read: the server finds most of them already there and reads them straight
        // into the buffer it kept, growing and dropping it as the sizes change.
        for (int round = 0; round < 3; round++)
        {
            foreach (int total in s_sizesAroundTheBuffer)
            {
                await client.SendAsync(LengthMessage(Math.Max(0, total - overhead)), WebSocketMessageType.Text, fragmentSize);
            }

            foreach (int total in s_sizesAroundTheBuffer)
            {
                Assert.Equal(Math.Max(0, total - overhead).ToString(System.Globalization.CultureInfo.InvariantCulture), await client.ReceiveAsync());
            }
        }

        await client.SendAsync("""{"event":"identity","data":5}""");
        Assert.Equal("5", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_limit_below_the_buffer_size_is_exact()
    {
        const int limit = 600;
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<LimitsGateway>(), o => o.MaxMessageSize = limit);
        using TestClient client = await server.ConnectAsync("/limits");
        int overhead = LengthMessage(0).Length;

        await client.SendAsync(LengthMessage(limit - overhead), WebSocketMessageType.Text, fragmentSize: 100);
        Assert.Equal((limit - overhead).ToString(System.Globalization.CultureInfo.InvariantCulture), await client.ReceiveAsync());

        await client.SendAsync(LengthMessage(limit - overhead + 1), WebSocketMessageType.Text, fragmentSize: 100);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Messages_run_in_order_by_default()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<LimitsGateway>());
        using TestClient client = await server.ConnectAsync("/limits");

        for (int i = 0; i < 50; i++)
        {
            await client.SendAsync($$"""{"event":"identity","data":{{i}}}""");
        }

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Parallel_messages_per_connection_can_overtake_each_other_when_allowed()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<LimitsGateway>(),
            o => o.MaxParallelMessagesPerConnection = 4);
        using TestClient client = await server.ConnectAsync("/limits");

        // "wait" only finishes after "release" ran: with parallelism 1 this would never answer.
        await client.SendAsync("""{"event":"wait"}""");
        await client.SendAsync("""{"event":"release"}""");

        Assert.Equal("\"released\"", await client.ReceiveAsync());
        Assert.Equal("\"waited\"", await client.ReceiveAsync());
        await client.CloseAsync();
    }
}
