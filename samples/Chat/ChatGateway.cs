using System.Net.WebSockets;
using Gateway;

namespace Chat;

/// <summary>
/// Rooms and nicknames: each connection is in one room at a time, under one nickname. Shows the pipeline: a
/// validated payload (<see cref="JoinRequest"/>), a guard (<see cref="InRoomGuard"/>) and an exception filter
/// (<see cref="ReadableErrorsFilter"/>).
/// </summary>
[WebSocketGateway("/chat", Namespace = "chat")]
[UseFilters(typeof(ReadableErrorsFilter))]
public partial class ChatGateway(IGatewayServer<ChatGateway> server) : IOnGatewayDisconnect
{
    private const string NickKey = "nick";

    [SubscribeMessage("join")]
    public async Task<WsResponse<RoomState>> Join(GatewayClient client, [MessageBody] JoinRequest request)
    {
        await LeaveRoomsAsync(client);
        client.Items[NickKey] = request.Nick;
        client.Join(request.Room);
        await server.Room(request.Room).As<IChatEvents>().Joined(new Presence(request.Nick, request.Room));
        string[] members = [.. server.GetRoomMembers(request.Room).Select(NickOf).Order(StringComparer.Ordinal)];
        return new("room", new RoomState(request.Room, members));
    }

    [SubscribeMessage("say")]
    [UseGuards(typeof(InRoomGuard))]
    public async ValueTask Say(GatewayClient client, [MessageBody] string text)
    {
        string room = client.Rooms.First();
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

/// <summary>Lets a message through only from a connection that joined a room.</summary>
public sealed class InRoomGuard : IGatewayGuard
{
    public ValueTask<bool> CanActivateAsync(GatewayInvocationContext context) =>
        context.Client.Rooms.Count > 0 ? ValueTask.FromResult(true) : throw new WsException("Join a room first.");
}

/// <summary>Turns validation failures into one sentence the page shows as it is.</summary>
public sealed class ReadableErrorsFilter : IGatewayExceptionFilter
{
    public async ValueTask<bool> TryHandleAsync(GatewayInvocationContext context, Exception exception)
    {
        if (exception is not GatewayValidationException invalid)
        {
            return false;
        }

        string message = string.Join(" ", invalid.Errors.SelectMany(static e => e.Constraints));
        await context.Client.SendAsync("exception", new ChatError("error", message), ChatJsonContext.Default.ChatError);
        return true;
    }
}
