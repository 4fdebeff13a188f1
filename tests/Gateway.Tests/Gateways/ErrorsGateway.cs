using System.Text.Json;

namespace Gateway.Tests.Gateways;

[WebSocketGateway("/errors")]
public partial class ErrorsGateway
{
    [SubscribeMessage("wsString")]
    public int WsString([MessageBody] int data) => throw new WsException("Nope " + data);

    [SubscribeMessage("wsObject")]
    public void WsObject() => throw new WsException(new ErrorDetails(42, "bad"), TestJsonContext.Default.ErrorDetails);

    [SubscribeMessage("wsElement")]
    public void WsElement() => throw new WsException(JsonDocument.Parse("""{"raw":true}""").RootElement.Clone());

    [SubscribeMessage("crash")]
    public Task<int> Crash() => throw new InvalidOperationException("secret server detail");

    [SubscribeMessage("crashLater")]
    public async Task<int> CrashLater()
    {
        await Task.Yield();
        throw new InvalidOperationException("secret server detail");
    }

    [SubscribeMessage("streamCrash")]
    public async IAsyncEnumerable<int> StreamCrash()
    {
        yield return 1;
        await Task.Yield();
        throw new WsException("stream broke");
    }

    [SubscribeMessage("typed")]
    public ChatMessage Typed([MessageBody] ChatMessage message) => message;

    [SubscribeMessage("prop")]
    public int Prop([MessageBody("n")] int n) => n;

    [SubscribeMessage("ok")]
    public string Ok() => "ok";
}
