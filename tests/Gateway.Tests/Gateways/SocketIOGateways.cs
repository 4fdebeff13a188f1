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
            // The auth payload and the handshake's query, as a NestJS gateway reads client.handshake.auth and .query.
            string auth = client.Auth.ValueKind == JsonValueKind.Undefined ? "anonymous" : client.Auth.GetRawText();
            string room = httpContext.Request.Query["room"].ToString();
            await client.SendAsync("welcome", room.Length > 0 ? $"{auth} in {room}" : auth, TestJsonContext.Default.String);
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
        await client.RequestAsync("question", question, TestJsonContext.Default.String, TestJsonContext.Default.String, TimeSpan.FromSeconds(30));

    [SubscribeMessage("askOrTimeOut")]
    public async Task<string> AskOrTimeOut(GatewayClient client)
    {
        try
        {
            return await client.RequestAsync("silence", "anyone?", TestJsonContext.Default.String, TestJsonContext.Default.String, TimeSpan.FromMilliseconds(300))
                ?? "null";
        }
        catch (TimeoutException)
        {
            return "timed out";
        }
    }

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
