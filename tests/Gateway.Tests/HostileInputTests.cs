using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Unicode;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests;

/// <summary>
/// Frames and handshakes a hostile client sends: each gets a clear answer or is dropped, the connection keeps
/// serving, a canary connection keeps round-tripping, and nothing is logged above Information because of them.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private TestClient _client = null!;
    private TestClient _canary = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<PayloadsGateway>(),
            o => o.ReplyToInvalidMessages = true,
            services => services.AddFakeLogging());
        _client = await _server.ConnectAsync("/payloads");
        _canary = await _server.ConnectAsync("/payloads");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _canary.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task AssertServingAsync(TestClient client, int value)
    {
        await client.SendAsync($$"""{"event":"int","data":{{value}}}""");
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), await client.ReceiveAsync());
    }

    private async Task AssertBothServingAsync()
    {
        await AssertServingAsync(_client, 11);
        await AssertServingAsync(_canary, 12);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_name_is_an_unknown_event_or_an_ignored_property_as_in_JSON_parse()
    {
        // JSON.parse accepts "\ud800"; no handler is named so, so NestJS ignores the frame: an unknown event.
        await _client.SendAsync("""{"event":"\ud800","data":1}""");
        Assert.StartsWith("""{"event":"exception","data":{"status":"error","message":"Unknown event","cause":{"pattern":""", await _client.ReceiveAsync(), StringComparison.Ordinal);
        await AssertBothServingAsync();

        await _client.SendAsync("""{"event":"int","\udc00":{"\ud800":1},"data":5}""");
        Assert.Equal("5", await _client.ReceiveAsync());
        await _client.SendAsync("""{"event":"prop","data":{"\ud800":1,"n":2,"\udfff":3}}""");
        Assert.Equal("2", await _client.ReceiveAsync());
        await _client.SendAsync("""{"event":"maybeProp","data":{"\ud800":1}}""");
        Assert.Equal("\"null\"", await _client.ReceiveAsync());
        await AssertBothServingAsync();
        _server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_string_payload_is_an_invalid_payload_for_a_typed_parameter()
    {
        // System.Text.Json reads no .NET string with a lone surrogate (JSON.parse does); the frame quoting the data
        // keeps the escape as JSON.stringify writes it.
        await _client.SendAsync("""{"event":"record","data":{"nick":"\uD800","text":"hi"}}""");
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":"record","data":{"nick":"\ud800","text":"hi"}}}}""",
            await _client.ReceiveAsync());
        await AssertBothServingAsync();
        _server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_binary_frame_with_invalid_UTF8_gets_a_reply_that_is_valid_UTF8()
    {
        byte[] frame = [.. """{"event":"int","data":"a"""u8, 0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80, .. "\"}"u8];
        await _client.SendAsync(frame, WebSocketMessageType.Binary);

        TestClient.Message reply = await _client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, reply.Type);
        Assert.True(Utf8.IsValid(reply.Payload), Convert.ToHexString(reply.Payload!));
        Assert.StartsWith("""{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":"int","data":"a""", reply.Text, StringComparison.Ordinal);
        await AssertBothServingAsync();
        _server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_text_frame_with_invalid_UTF8_ends_that_connection_only()
    {
        // ClientWebSocket cannot put invalid UTF-8 in a text frame, so this one is written by hand. The WebSocket
        // fails such a connection (RFC 6455 §8.1): it sends 1007 and aborts, so the client sees the close frame or,
        // when the abort overtakes it, a reset. Either way the connection is gone and nothing else is disturbed.
        IGatewayServer<PayloadsGateway> payloads = _server.Services.GetRequiredService<IGatewayServer<PayloadsGateway>>();
        (RawWebSocket raw, string response) = await RawWebSocket.ConnectAsync(_server.BaseUri, "/payloads");
        using RawWebSocket _ = raw;
        NetworkStream stream = raw.Stream;
        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        Assert.Equal(3, payloads.ConnectionCount);

        byte[] payload = [.. """{"event":"int","data":"""u8, 0x22, 0xFF, 0x22, (byte)'}'];
        await stream.WriteAsync(RawWebSocket.Frame(opcode: 0x1, payload));
        byte[] rest = new byte[64];
        int read;
        try
        {
            read = await stream.ReadAtLeastAsync(rest, 4, throwOnEndOfStream: false);
        }
        catch (IOException)
        {
            read = 0;
        }

        if (read > 0)
        {
            Assert.Equal([0x88, 0x02, 0x03, 0xEF], rest[..4]); // a close frame: 1007, no reason
        }

        await Eventually.HoldsAsync(() => payloads.ConnectionCount == 2);

        await AssertBothServingAsync();
        _server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_handshake_with_another_WebSocket_version_is_told_the_version_the_server_speaks()
    {
        (RawWebSocket raw, string response) = await RawWebSocket.ConnectAsync(_server.BaseUri, "/payloads", version: "12");
        raw.Dispose();

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", response, StringComparison.OrdinalIgnoreCase);
        await AssertBothServingAsync();
    }
}
