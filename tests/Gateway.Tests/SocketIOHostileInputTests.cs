using System.Net;
using System.Net.WebSockets;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// Malformed Socket.IO and Engine.IO input, over real connections: what the npm server does with it (the session is
/// closed; an unknown namespace is refused), while a canary connection keeps being served and nothing is logged above
/// Information.
/// </summary>
public sealed class SocketIOHostileInputTests
{
    [Theory]
    [InlineData("4abc")] // an unknown Socket.IO packet type
    [InlineData("49")] // another
    [InlineData("x")] // an unknown Engine.IO packet type
    [InlineData("")] // an empty packet
    [InlineData("45-[\"e\",{\"_placeholder\":true,\"num\":0}]")] // no attachment count
    [InlineData("45a-[\"e\"]")] // a count that is no number
    [InlineData("4565-[\"e\"]")] // more attachments than the server accepts
    [InlineData("42{}")] // an EVENT whose payload is no array
    [InlineData("42[]")] // an empty one
    [InlineData("42[\"connect\"]")] // a reserved event name
    [InlineData("42[\"echo\",")] // truncated JSON
    [InlineData("42[\"echo\"]trailing")] // data after the payload
    [InlineData("42abc[\"echo\",1]")] // a malformed ack id
    [InlineData("4212345678901234567[\"echo\",1]")] // an ack id out of range
    [InlineData("42/admin,[\"whoami\"]")] // an EVENT for a namespace the client has not joined
    [InlineData("40")] // a second CONNECT to the same namespace
    [InlineData("40nope")] // a CONNECT whose auth is no JSON object
    [InlineData("43[1]")] // an ACK is fine, but then...
    public async Task A_malformed_packet_closes_only_its_own_session(string packet)
    {
        await using GatewayServer server = await SocketIOTests.StartAsync();
        using ClientWebSocket canary = await ConnectAsync(server);
        using ClientWebSocket hostile = await ConnectAsync(server);

        await SendAsync(hostile, packet);
        if (packet == "43[1]")
        {
            // An ACK nobody waits for is ignored, as socket.io ignores it; a binary frame outside a binary packet is not.
            await hostile.SendAsync(new byte[] { 1, 2 }, WebSocketMessageType.Binary, true, default);
        }

        Assert.True(await IsClosedAsync(hostile), $"the session survived {packet}");
        await SendAsync(canary, "427[\"echo\",\"still here\"]");
        Assert.Equal("437[\"still here\"]", await ReceiveTextAsync(canary));
        server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_binary_frame_outside_a_binary_packet_closes_the_session()
    {
        await using GatewayServer server = await SocketIOTests.StartAsync();
        using ClientWebSocket hostile = await ConnectAsync(server);

        await hostile.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, default);

        Assert.True(await IsClosedAsync(hostile));
        server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task An_unknown_namespace_is_refused_and_the_session_goes_on()
    {
        await using GatewayServer server = await SocketIOTests.StartAsync();
        using ClientWebSocket client = await ConnectAsync(server);

        await SendAsync(client, "40/nope,");

        Assert.Equal("44/nope,{\"message\":\"Invalid namespace\"}", await ReceiveTextAsync(client));
        await SendAsync(client, "421[\"echo\",2]");
        Assert.Equal("431[2]", await ReceiveTextAsync(client));
    }

    [Fact]
    public async Task A_websocket_message_over_the_limit_closes_the_session()
    {
        await using GatewayServer server = await SocketIOTests.StartAsync(o => o.MaxHttpBufferSize = 1000);
        using ClientWebSocket canary = await ConnectAsync(server);
        using ClientWebSocket hostile = await ConnectAsync(server);

        await SendAsync(hostile, "42[\"echo\",\"" + new string('x', 2000) + "\"]");

        Assert.True(await IsClosedAsync(hostile));
        await SendAsync(canary, "421[\"echo\",1]");
        Assert.Equal("431[1]", await ReceiveTextAsync(canary));
        server.AssertNothingLoggedAboveInformation();
    }

    [Theory]
    [InlineData("huge", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("abc", HttpStatusCode.BadRequest)]
    [InlineData("b!!!", HttpStatusCode.BadRequest)]
    [InlineData("binary", HttpStatusCode.BadRequest)]
    public async Task A_bad_polling_request_ends_its_session(string body, HttpStatusCode status)
    {
        await using GatewayServer server = await SocketIOTests.StartAsync(o => o.MaxHttpBufferSize = 1000);
        using var http = new HttpClient { BaseAddress = new Uri(SocketIOTests.Http(server)) };
        string sid = await OpenPollingAsync(http);
        string session = $"/socket.io/?EIO=4&transport=polling&sid={sid}";

        HttpContent content = body switch
        {
            "huge" => new StringContent("4" + new string('x', 5000)),
            "binary" => new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } },
            _ => new StringContent(body),
        };
        using HttpResponseMessage response = await http.PostAsync(session, content);

        Assert.Equal(status, response.StatusCode);
        using HttpResponseMessage after = await http.GetAsync(session);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
        Assert.Contains("Session ID unknown", await after.Content.ReadAsStringAsync());
        server.AssertNothingLoggedAboveInformation();
    }

    [Theory]
    [InlineData("/socket.io/?transport=polling", "{\"code\":5,\"message\":\"Unsupported protocol version\"}")]
    [InlineData("/socket.io/?EIO=3&transport=polling", "{\"code\":5,\"message\":\"Unsupported protocol version\"}")]
    [InlineData("/socket.io/?EIO=4&transport=carrier-pigeon", "{\"code\":0,\"message\":\"Transport unknown\"}")]
    [InlineData("/socket.io/?EIO=4&transport=polling&sid=nope", "{\"code\":1,\"message\":\"Session ID unknown\"}")]
    public async Task Bad_handshakes_get_the_npm_servers_errors(string url, string error)
    {
        await using GatewayServer server = await SocketIOTests.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(SocketIOTests.Http(server)) };

        using HttpResponseMessage response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await response.Content.ReadAsStringAsync());
    }

    internal static async Task<string> OpenPollingAsync(HttpClient http)
    {
        string open = await http.GetStringAsync("/socket.io/?EIO=4&transport=polling");
        return System.Text.Json.JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>A WebSocket-only Engine.IO session connected to the default namespace, its welcome read.</summary>
    internal static async Task<ClientWebSocket> ConnectAsync(GatewayServer server)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.Url("/socket.io/?EIO=4&transport=websocket"), default);
        Assert.StartsWith("0{\"sid\":", await ReceiveTextAsync(socket));
        await SendAsync(socket, "40");
        Assert.StartsWith("40{\"sid\":", await ReceiveTextAsync(socket));
        Assert.StartsWith("42[\"welcome\"", await ReceiveTextAsync(socket));
        return socket;
    }

    internal static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, default);

    /// <summary>The next text message, pings answered on the way.</summary>
    internal static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            byte[] buffer = new byte[64 * 1024];
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            string text = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (text != "2")
            {
                return text;
            }

            await SendAsync(socket, "3");
        }
    }

    /// <summary>Whether the server closes the WebSocket (a close frame, or the connection dropped) within a few seconds.</summary>
    internal static async Task<bool> IsClosedAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            byte[] buffer = new byte[1024];
            while (true)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (WebSocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
