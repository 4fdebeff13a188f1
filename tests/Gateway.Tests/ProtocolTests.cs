using System.Net.WebSockets;
using System.Text;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>The transcript of the protocol spec (section 6), frame for frame, on a real Kestrel.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Article_transcript_matches_the_spec()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>());
        using TestClient client = await server.ConnectAsync();

        await client.SendAsync("""{"event":"events","data":"hello world"}""");
        Assert.Equal("""{"event":"events","data":[1,2,3]}""", await client.ReceiveAsync());

        await client.SendAsync("""{"event":"identity","data":5}""");
        Assert.Equal("5", await client.ReceiveAsync());

        await client.SendAsync("""{"data":7,"event":"identity"}""");
        Assert.Equal("7", await client.ReceiveAsync());

        await client.SendAsync(Encoding.UTF8.GetBytes("""{"event":"identity","data":9}"""), WebSocketMessageType.Binary);
        Assert.Equal("9", await client.ReceiveAsync());

        // Dropped silently: the next reply must be the answer to the message after them.
        await client.SendAsync("""{"event":"nope","data":1}""");
        await client.SendAsync("not json");
        await client.SendAsync("[1,2]");
        await client.SendAsync("""{"event":5,"data":1}""");
        await client.SendAsync("""{"data":1}""");
        await client.SendAsync("""{"event":"identity","data":1} trailing""");
        await client.SendAsync("""{"event":"identity","data":[1,}""");
        await client.SendAsync("");
        await client.SendAsync("""{"event":"identity","data":11}""");
        Assert.Equal("11", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Event_names_are_matched_exactly_after_unescaping()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>());
        using TestClient client = await server.ConnectAsync();

        await client.SendAsync("""{"event":"Identity","data":1}""");
        await client.SendAsync("""{"event":"identity ","data":2}""");
        await client.SendAsync("""{"event":"ident\u0069ty","data":3}""");
        Assert.Equal("3", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Extra_properties_are_ignored_and_the_last_event_wins()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>());
        using TestClient client = await server.ConnectAsync();

        await client.SendAsync("""{"ref":1,"event":"nope","meta":{"a":[1,2]},"data":4,"event":"identity"}""");
        Assert.Equal("4", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Closing_the_connection_completes_the_close_handshake()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>());
        using TestClient client = await server.ConnectAsync();

        await client.CloseAsync();

        Assert.Equal(WebSocketState.Closed, client.Socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus);
    }
}
