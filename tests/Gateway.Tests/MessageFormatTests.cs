using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// <see cref="GatewayMessageFormat.Array"/>: NestJS's ws adapter with a <c>messageParser</c> for <c>["event", data]</c>
/// clients. Messages are read as arrays; what goes out stays NestJS's frames; malformed arrays are dropped or
/// answered like malformed envelopes, and the connection goes on.
/// </summary>
public sealed class MessageFormatTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<ArticleGateway>(),
            o =>
            {
                o.MessageFormat = GatewayMessageFormat.Array;
                o.ReplyToInvalidMessages = true;
            },
            s => s.AddFakeLogging());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("""["identity", 5]""", "5")]
    [InlineData("""[ "identity" , 9 , "ignored", [3, {"x":[]}] ]""", "9")]
    [InlineData("""["events"]""", """{"event":"events","data":[1,2,3]}""")]
    [InlineData("""["ident\u0069ty", 7]""", "7")]
    public async Task Array_messages_reach_their_handlers_and_replies_stay_NestJS_frames(string message, string reply)
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/"));

        Assert.Equal(reply, await client.AskAsync(message));
    }

    [Theory]
    [InlineData("""{"event":"identity","data":1}""", """{"event":"exception","data":{"status":"error","message":"Invalid message"}}""")]
    [InlineData("""[]""", """{"event":"exception","data":{"status":"error","message":"Invalid message"}}""")]
    [InlineData("""[5, "identity"]""", """{"event":"exception","data":{"status":"error","message":"Invalid message"}}""")]
    [InlineData("""[{"event":"identity"}, 1]""", """{"event":"exception","data":{"status":"error","message":"Invalid message"}}""")]
    [InlineData("""["identity", 1""", """{"event":"exception","data":{"status":"error","message":"Invalid message"}}""")]
    [InlineData("""["identity", 1] []""", """{"event":"exception","data":{"status":"error","message":"Invalid message"}}""")]
    [InlineData("""["nobody", 1]""", """{"event":"exception","data":{"status":"error","message":"Unknown event","cause":{"pattern":"nobody","data":1}}}""")]
    public async Task Other_shapes_are_answered_as_invalid_and_the_connection_goes_on(string message, string reply)
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/"));

        Assert.Equal(reply, await client.AskAsync(message));
        Assert.Equal("2", await client.AskAsync("""["identity", 2]"""));
        _server.AssertNothingLoggedAboveInformation();
    }
}
