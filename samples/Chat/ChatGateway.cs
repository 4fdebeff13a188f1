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
public partial class ChatGateway(IGatewayServer<ChatGateway> server, ChatHistory history) : IOnGatewayDisconnect
{
    private const string NickKey = "nick";
    private const string SessionKey = "session";

    /// <summary>
    /// Enters a room under a nickname no one else in it has, and answers with its members and the messages after
    /// <see cref="JoinRequest.Since"/>: a page that reconnects asks for what it missed.
    /// </summary>
    [SubscribeMessage("join")]
    public async Task<WsResponse<RoomState>> Join(GatewayClient client, [MessageBody] JoinRequest request)
    {
        foreach (GatewayClient member in server.GetRoomMembers(request.Room))
        {
            if (member != client && NickOf(member) == request.Nick)
            {
                // The same page's older connection (not yet seen to be gone) gives way; anyone else keeps the name.
                if (request.Session is null || !Equals(member.Items.TryGetValue(SessionKey, out object? session) ? session : null, request.Session))
                {
                    throw new WsException($"The nickname {request.Nick} is taken in {request.Room}.");
                }

                await LeaveRoomsAsync(member);
                await member.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a newer connection of the same page.");
            }
        }

        await LeaveRoomsAsync(client);
        client.Items[NickKey] = request.Nick;
        client.Items[SessionKey] = request.Session;
        client.Join(request.Room);
        await server.Room(request.Room).As<IChatEvents>().Joined(new Presence(request.Nick, request.Room));
        string[] members = [.. server.GetRoomMembers(request.Room).Select(NickOf).Order(StringComparer.Ordinal)];
        return new("room", new RoomState(request.Room, members, history.After(request.Room, request.Since)));
    }

    /// <summary>Says <paramref name="text"/> in the connection's room (the plain form: every call is a new message).</summary>
    [SubscribeMessage("say")]
    [UseGuards(typeof(InRoomGuard))]
    public ValueTask Say(GatewayClient client, [MessageBody] string text) =>
        PublishAsync(client, Guid.NewGuid().ToString("N"), text);

    /// <summary>Says a message with the page's own id: a page that sends it again after a drop does not say it twice.</summary>
    [SubscribeMessage("post")]
    [UseGuards(typeof(InRoomGuard))]
    public ValueTask Post(GatewayClient client, [MessageBody] PostRequest request) => PublishAsync(client, request.Id, request.Text);

    private async ValueTask PublishAsync(GatewayClient client, string id, string text)
    {
        string room = client.Rooms.First();
        var message = new ChatMessage(id, NickOf(client), room, text);
        if (history.TryAdd(message))
        {
            await server.Room(room).As<IChatEvents>().Message(message);
        }
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
