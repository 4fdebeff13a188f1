namespace Gateway.Tests.Gateways;

public sealed record RoomMessage(string Room, string Text);

/// <summary>Rooms and server push from handlers, through the injected server handle.</summary>
[WebSocketGateway("/chat")]
public partial class ChatGateway(IGatewayServer<ChatGateway> server) : IOnGatewayDisconnect
{
    /// <summary>The hook still sees the closed connection's rooms, and the closed connection gets nothing.</summary>
    public ValueTask OnDisconnectedAsync(GatewayClient client, System.Net.WebSockets.WebSocketCloseStatus? closeStatus, Exception? exception)
    {
        foreach (string room in client.Rooms)
        {
            server.Room(room).Send("left", client.Id);
        }

        return ValueTask.CompletedTask;
    }

    [SubscribeMessage("whoami")]
    public string WhoAmI(GatewayClient client) => client.Id;

    [SubscribeMessage("join")]
    public bool Join(GatewayClient client, [MessageBody] string room) => client.Join(room);

    [SubscribeMessage("leave")]
    public bool Leave(GatewayClient client, [MessageBody] string room) => client.Leave(room);

    [SubscribeMessage("myRooms")]
    public string[] MyRooms(GatewayClient client) => [.. client.Rooms.Order(StringComparer.Ordinal)];

    [SubscribeMessage("members")]
    public string[] Members([MessageBody] string room) => [.. server.GetRoomMembers(room).Select(c => c.Id).Order(StringComparer.Ordinal)];

    [SubscribeMessage("rooms")]
    public string[] Rooms() => [.. server.ListRooms().Order(StringComparer.Ordinal)];

    [SubscribeMessage("say")]
    public int Say([MessageBody] RoomMessage message) =>
        server.Room(message.Room).Send("message", message, TestJsonContext.Default.RoomMessage);

    [SubscribeMessage("shout")]
    public int Shout(GatewayClient client, [MessageBody] string text) =>
        server.AllExcept(client.Id).Send("shout", text);

    [SubscribeMessage("echo")]
    public string Echo([MessageBody] string text) => text;

    /// <summary>Answers after a while: a request still in flight when its client's transport drops.</summary>
    [SubscribeMessage("later")]
    public async Task<string> Later([MessageBody] string text)
    {
        await Task.Delay(500);
        return text;
    }

    /// <summary>Sends a frame, then cancels its token: a frame still queued behind pushes is then never sent.</summary>
    [SubscribeMessage("sendThenCancel")]
    public async Task<string> SendThenCancel(GatewayClient client, [MessageBody] string text)
    {
        using var cts = new CancellationTokenSource();
        await client.SendAsync("late", text, global::Gateway.Infrastructure.GatewayJsonContext.Default.String, cts.Token);
        await cts.CancelAsync();
        return "sent";
    }

    [SubscribeMessage("typedJoin")]
    public async Task TypedJoin(GatewayClient client, [MessageBody] string room)
    {
        client.Join(room);
        await server.Room(room).As<IChatEvents>().JoinedAsync(client.Id);
        await client.As<IChatEvents>().Ping();
    }

    [SubscribeMessage("typedSay")]
    public ValueTask TypedSay([MessageBody] RoomMessage message) => server.Room(message.Room).As<IChatEvents>().Message(message);
}
