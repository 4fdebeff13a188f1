namespace Gateway.Internal;

internal sealed class GatewayServer<TGateway>(string path, ConnectionRegistry connections) : IGatewayServer<TGateway>
    where TGateway : class
{
    public string Path { get; } = path;

    public int ConnectionCount => connections.Count;

    public GatewayTarget All => new(connections, GatewayTarget.TargetKind.All, []);

    public GatewayTarget AllExcept(params IEnumerable<string> connectionIds) =>
        new(connections, GatewayTarget.TargetKind.AllExcept, [.. connectionIds]);

    public GatewayTarget Client(string connectionId) => new(connections, GatewayTarget.TargetKind.Clients, [connectionId]);

    public GatewayTarget Clients(params IEnumerable<string> connectionIds) =>
        new(connections, GatewayTarget.TargetKind.Clients, [.. connectionIds]);

    public GatewayTarget Room(string room) => new(connections, GatewayTarget.TargetKind.Rooms, [room]);

    public GatewayTarget Rooms(params IEnumerable<string> rooms) => new(connections, GatewayTarget.TargetKind.Rooms, [.. rooms]);

    public GatewayTarget User(string userId) => new(connections, GatewayTarget.TargetKind.Users, [userId]);

    public GatewayTarget Users(params IEnumerable<string> userIds) => new(connections, GatewayTarget.TargetKind.Users, [.. userIds]);

    public GatewayClient? GetClient(string connectionId) => connections.Find(connectionId);

    public IReadOnlyCollection<string> ListRooms() => connections.RoomNames;

    public IReadOnlyCollection<GatewayClient> GetRoomMembers(string room) => [.. connections.RoomMembers(room)];

    public int CountRoomMembers(string room) => connections.RoomMembers(room).Count;

    public bool Join(string connectionId, string room) =>
        connections.Find(connectionId) is { } client && connections.Join(client, room);

    public bool Leave(string connectionId, string room) =>
        connections.Find(connectionId) is { } client && connections.Leave(client, room);
}
