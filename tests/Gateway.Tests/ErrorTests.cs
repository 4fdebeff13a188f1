using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>Error frames exactly as spec section 4 says; the connection always stays open.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private TestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(g => g.AddGateway<ErrorsGateway>());
        _client = await _server.ConnectAsync("/errors");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task AssertStillServingAsync()
    {
        await _client.SendAsync("""{"event":"ok"}""");
        Assert.Equal("\"ok\"", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task WsException_with_a_message_carries_the_cause()
    {
        await _client.SendAsync("""{"event":"wsString","data":3}""");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Nope 3","cause":{"pattern":"wsString","data":3}}}""",
            await _client.ReceiveAsync());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task WsException_with_an_object_sends_the_object_as_data()
    {
        await _client.SendAsync("""{"event":"wsObject"}""");
        Assert.Equal("""{"event":"exception","data":{"code":42,"reason":"bad"}}""", await _client.ReceiveAsync());

        await _client.SendAsync("""{"event":"wsElement"}""");
        Assert.Equal("""{"event":"exception","data":{"raw":true}}""", await _client.ReceiveAsync());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Other_exceptions_are_hidden_behind_internal_server_error()
    {
        await _client.SendAsync("""{"event":"crash","data":{"x":[1, 2]}}""");
        string frame = await _client.ReceiveAsync();
        // The data as NestJS writes what it parsed: JSON.stringify drops the white space.
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"crash","data":{"x":[1,2]}}}}""",
            frame);

        await _client.SendAsync("""{"event":"crashLater"}""");
        frame = await _client.ReceiveAsync();
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"crashLater"}}}""",
            frame);
        Assert.DoesNotContain("secret", frame, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_failing_stream_sends_its_items_then_one_error()
    {
        await _client.SendAsync("""{"event":"streamCrash"}""");

        Assert.Equal("1", await _client.ReceiveAsync());
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"stream broke","cause":{"pattern":"streamCrash"}}}""",
            await _client.ReceiveAsync());
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"event":"typed","data":"not an object"}""", "typed", "\"not an object\"")]
    [InlineData("""{"event":"typed","data":{"nick":5}}""", "typed", """{"nick":5}""")]
    [InlineData("""{"event":"prop","data":[1]}""", "prop", "[1]")]
    [InlineData("""{"event":"prop","data":{"n":"x"}}""", "prop", """{"n":"x"}""")]
    [InlineData("""{"event":"prop","data":{"n":null}}""", "prop", """{"n":null}""")]
    public async Task Payloads_of_the_wrong_type_are_invalid_payloads(string frame, string pattern, string data)
    {
        await _client.SendAsync(frame);

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":""" + $"\"{pattern}\",\"data\":{data}" + "}}}",
            await _client.ReceiveAsync());
        await AssertStillServingAsync();
    }
}

/// <summary>The option that answers invalid frames instead of dropping them.</summary>
public sealed class InvalidMessageReplyTests
{
    [Fact]
    public async Task Invalid_frames_get_exception_replies_when_enabled()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ArticleGateway>(),
            o => o.ReplyToInvalidMessages = true);
        using TestClient client = await server.ConnectAsync();

        await client.SendAsync("""{"event":"nope","data":1}""");
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Unknown event","cause":{"pattern":"nope","data":1}}}""",
            await client.ReceiveAsync());

        await client.SendAsync("not json");
        Assert.Equal("""{"event":"exception","data":{"status":"error","message":"Invalid message"}}""", await client.ReceiveAsync());

        await client.SendAsync("""{"event":"identity","data":2}""");
        Assert.Equal("2", await client.ReceiveAsync());
    }
}
