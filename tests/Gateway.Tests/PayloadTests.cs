using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// A missing or null <c>data</c> for a body parameter that does not take null (a value type or a non-nullable
/// reference type) is "Invalid payload" (spec section 4), never a null or default passed to the handler; a
/// parameter that takes null gets null.
/// </summary>
public sealed class PayloadTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private TestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(g => g.AddGateway<PayloadsGateway>());
        _client = await _server.ConnectAsync("/payloads");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("int")]
    [InlineData("record")]
    [InlineData("element")]
    [InlineData("prop")]
    [InlineData("recordProp")]
    public async Task Missing_data_for_a_parameter_that_takes_no_null_is_an_invalid_payload(string @event)
    {
        await _client.SendAsync($$"""{"event":"{{@event}}"}""");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":""" + $"\"{@event}\"" + "}}}",
            await _client.ReceiveAsync());
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("int", "null")]
    [InlineData("record", "null")]
    [InlineData("prop", "null")]
    [InlineData("prop", """{"n":null}""")]
    [InlineData("prop", "{}")]
    [InlineData("recordProp", """{"m":null}""")]
    [InlineData("recordProp", "{}")]
    public async Task Null_data_for_a_parameter_that_takes_no_null_is_an_invalid_payload(string @event, string data)
    {
        await _client.SendAsync($$"""{"event":"{{@event}}","data":{{data}}}""");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":""" + $"\"{@event}\",\"data\":{data}" + "}}}",
            await _client.ReceiveAsync());
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"event":"maybeInt"}""", "\"null\"")]
    [InlineData("""{"event":"maybeInt","data":null}""", "\"null\"")]
    [InlineData("""{"event":"maybeInt","data":4}""", "\"4\"")]
    [InlineData("""{"event":"maybeRecord"}""", "\"null\"")]
    [InlineData("""{"event":"maybeRecord","data":null}""", "\"null\"")]
    [InlineData("""{"event":"maybeRecord","data":{"nick":"ann","text":"hi"}}""", "\"ann\"")]
    [InlineData("""{"event":"maybeProp"}""", "\"null\"")]
    [InlineData("""{"event":"maybeProp","data":{}}""", "\"null\"")]
    [InlineData("""{"event":"maybeProp","data":{"n":null}}""", "\"null\"")]
    [InlineData("""{"event":"maybeProp","data":{"n":7}}""", "\"7\"")]
    public async Task Parameters_that_take_null_get_null(string frame, string reply)
    {
        await _client.SendAsync(frame);

        Assert.Equal(reply, await _client.ReceiveAsync());
    }

    [Theory]
    [InlineData("""{"event":"int","data":0}""", "0")]
    [InlineData("""{"event":"record","data":{"nick":"bob","text":""}}""", "\"bob\"")]
    [InlineData("""{"event":"element","data":null}""", "\"Null\"")]
    [InlineData("""{"event":"prop","data":{"n":0}}""", "0")]
    [InlineData("""{"event":"recordProp","data":{"m":{"nick":"cy","text":""}}}""", "\"cy\"")]
    public async Task Present_data_binds(string frame, string reply)
    {
        await _client.SendAsync(frame);

        Assert.Equal(reply, await _client.ReceiveAsync());
    }

    private async Task AssertStillServingAsync()
    {
        await _client.SendAsync("""{"event":"int","data":1}""");
        Assert.Equal("1", await _client.ReceiveAsync());
    }
}
