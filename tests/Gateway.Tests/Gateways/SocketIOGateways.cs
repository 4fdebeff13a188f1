using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Gateway.Tests.Gateways;

/// <summary>The default Socket.IO namespace of the Socket.IO tests; also served over NestJS's ws protocol at /sio.</summary>
[WebSocketGateway("/sio")]
public partial class SioGateway(IGatewayServer<SioGateway> server) : IOnGatewayConnection
{
    public async ValueTask OnConnectedAsync(GatewayClient client, Microsoft.AspNetCore.Http.HttpContext httpContext)
    {
        if (client.Auth.ValueKind == JsonValueKind.Object
            && client.Auth.TryGetProperty("token", out JsonElement token) && token.GetString() == "bad")
        {
            throw new WsException("Not authorized");
        }

        if (client.Protocol == GatewayProtocol.SocketIO)
        {
            await client.SendAsync("welcome", client.Auth.ValueKind == JsonValueKind.Undefined ? "anonymous" : client.Auth.GetRawText(), TestJsonContext.Default.String);
        }
    }

    [SubscribeMessage("echo")]
    public JsonElement Echo([MessageBody] JsonElement data) => data;

    [SubscribeMessage("reply")]
    public WsResponse<string> Reply([MessageBody] string text) => new("replied", text);

    [SubscribeMessage("fail")]
    public string Fail() => throw new WsException("nope");

    [SubscribeMessage("join")]
    public bool Join(GatewayClient client, [MessageBody] string room) => client.Join(room);

    [SubscribeMessage("say")]
    public int Say(GatewayClient client, [MessageBody] RoomMessage message) =>
        server.Room(message.Room).Except(client.Id).Send("said", message.Text, TestJsonContext.Default.String);

    [SubscribeMessage("everyone")]
    public int Everyone([MessageBody] string text) => server.All.Send("everyone", text, TestJsonContext.Default.String);

    [SubscribeMessage("bytes")]
    public int Bytes([MessageBody] byte[] data) => data.Sum(static b => b);

    [SubscribeMessage("ask")]
    public async Task<string?> Ask(GatewayClient client, [MessageBody] string question) =>
        await client.RequestAsync("question", question, TestJsonContext.Default.String, TestJsonContext.Default.String, TimeSpan.FromSeconds(10));

    [SubscribeMessage("count")]
    public async IAsyncEnumerable<int> Count([MessageBody] int to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; i <= to; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}

/// <summary>A second namespace, multiplexed on the same Socket.IO connection.</summary>
[WebSocketGateway("/sio-admin", Namespace = "admin")]
public partial class SioAdminGateway
{
    [SubscribeMessage("whoami")]
    public string WhoAmI(GatewayClient client) => "admin " + client.Id;
}
