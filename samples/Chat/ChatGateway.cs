using System.Net.WebSockets;
using Gateway;

namespace Chat;

/// <summary>Rooms and nicknames: each connection is in one room at a time, under one nickname.</summary>
[WebSocketGateway("/chat")]
public partial class ChatGateway(IGatewayServer<ChatGateway> server) : IOnGatewayDisconnect
{
    private const string NickKey = "nick";

    [SubscribeMessage("join")]
    public async Task<WsResponse<RoomState>> Join(GatewayClient client, [MessageBody] JoinRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Nick) || string.IsNullOrWhiteSpace(request.Room))
        {
            throw new WsException("A nickname and a room are required.");
        }

        await LeaveRoomsAsync(client);
        client.Items[NickKey] = request.Nick;
        client.Join(request.Room);
        await server.Room(request.Room).As<IChatEvents>().Joined(new Presence(request.Nick, request.Room));
        string[] members = [.. server.GetRoomMembers(request.Room).Select(NickOf).Order(StringComparer.Ordinal)];
        return new("room", new RoomState(request.Room, members));
    }

    [SubscribeMessage("say")]
    public async ValueTask Say(GatewayClient client, [MessageBody] string text)
    {
        string room = client.Rooms.FirstOrDefault() ?? throw new WsException("Join a room first.");
        await server.Room(room).As<IChatEvents>().Message(new ChatMessage(NickOf(client), room, text));
    }

    public ValueTask OnDisconnectedAsync(GatewayClient client, WebSocketCloseStatus? closeStatus, Exception? exception) =>
        LeaveRoomsAsync(client);

    private async ValueTask LeaveRoomsAsync(GatewayClient client)
    {
        foreach (string room in client.Rooms)
        {
            client.Leave(room);
            await server.Room(room).As<IChatEvents>().Left(new Presence(NickOf(client), room));
        }
    }

    private static string NickOf(GatewayClient client) => client.Items.TryGetValue(NickKey, out object? nick) ? (string)nick! : "?";
}
