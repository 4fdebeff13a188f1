namespace Gateway.Internal;

/// <summary>
/// A gateway's push handle: its path's connections (NestJS's ws protocol) and, when the application serves Socket.IO,
/// its namespace's; every target reaches both, each frame serialized once per protocol.
/// </summary>
internal sealed class GatewayServer<TGateway>(string path, ConnectionRegistry connections, Func<ConnectionRegistry?>? socketIO = null)
    : IGatewayServer<TGateway>
    where TGateway : class
{
    private ConnectionRegistry? _socketIO;

    public string Path { get; } = path;

    public int ConnectionCount => connections.Count + (SocketIO?.Count ?? 0);

    // Resolved on first use: MapSocketIO runs after the services are built.
    private ConnectionRegistry? SocketIO => _socketIO ??= socketIO?.Invoke();

    public GatewayTarget All => Target(GatewayTarget.TargetKind.All, []);

    public GatewayTarget AllExcept(params IEnumerable<string> connectionIds) => Target(GatewayTarget.TargetKind.AllExcept, [.. connectionIds]);

    public GatewayTarget Client(string connectionId) => Target(GatewayTarget.TargetKind.Clients, [connectionId]);

    public GatewayTarget Clients(params IEnumerable<string> connectionIds) => Target(GatewayTarget.TargetKind.Clients, [.. connectionIds]);

    public GatewayTarget Room(string room) => Target(GatewayTarget.TargetKind.Rooms, [room]);

    public GatewayTarget Rooms(params IEnumerable<string> rooms) => Target(GatewayTarget.TargetKind.Rooms, [.. rooms]);

    public GatewayTarget User(string userId) => Target(GatewayTarget.TargetKind.Users, [userId]);

    public GatewayTarget Users(params IEnumerable<string> userIds) => Target(GatewayTarget.TargetKind.Users, [.. userIds]);

    private GatewayTarget Target(GatewayTarget.TargetKind kind, string[] keys) => new(connections, kind, keys, SocketIO, null);

    public GatewayClient? GetClient(string connectionId) => connections.Find(connectionId) ?? SocketIO?.Find(connectionId);

    public IReadOnlyCollection<string> ListRooms() =>
        SocketIO is { } sio ? [.. connections.RoomNames.Union(sio.RoomNames, StringComparer.Ordinal)] : connections.RoomNames;

    public IReadOnlyCollection<GatewayClient> GetRoomMembers(string room) =>
        SocketIO is { } sio ? [.. connections.RoomMembers(room), .. sio.RoomMembers(room)] : [.. connections.RoomMembers(room)];

    public int CountRoomMembers(string room) => connections.RoomMembers(room).Count + (SocketIO?.RoomMembers(room).Count ?? 0);

    public bool Join(string connectionId, string room) => GetClient(connectionId) is { } client && client.Join(room);

    public bool Leave(string connectionId, string room) => GetClient(connectionId) is { } client && client.Leave(room);
}
