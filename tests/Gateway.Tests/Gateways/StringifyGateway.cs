using System.Text.Json;

namespace Gateway.Tests.Gateways;

/// <summary>Every kind of frame a text can reach the wire in, for comparing frames with <c>JSON.stringify</c>.</summary>
[WebSocketGateway("/stringify")]
public partial class StringifyGateway(IGatewayServer<StringifyGateway> server)
{
    [SubscribeMessage("element")]
    public JsonElement Element([MessageBody] JsonElement data) => data;

    [SubscribeMessage("string")]
    public string Text([MessageBody] string text) => text;

    [SubscribeMessage("event")]
    public WsResponse<string> Event([MessageBody] string text) => new(text, text);

    [SubscribeMessage("fail")]
    public void Fail([MessageBody("m")] string message) => throw new WsException(message);

    [SubscribeMessage("int")]
    public int Number([MessageBody] int value) => value;

    /// <summary>A push (serialized once for all recipients), then the count as the reply.</summary>
    [SubscribeMessage("push")]
    public int Push(GatewayClient client, [MessageBody] string text) => server.Client(client.Id).Send("push", text);
}
