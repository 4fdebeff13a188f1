namespace Gateway;

/// <summary>
/// Pushes frames to the connections of a gateway's path from anywhere (handlers, endpoints, background services),
/// and lists its connections and rooms. Inject <c>IGatewayServer&lt;ChatGateway&gt;</c>.
/// </summary>
/// <typeparam name="TGateway">The gateway whose path is addressed.</typeparam>
public interface IGatewayServer<TGateway> where TGateway : class
{
    /// <summary>The gateway's path.</summary>
    string Path { get; }

    /// <summary>How many connections are open.</summary>
    int ConnectionCount { get; }

    /// <summary>Every connection.</summary>
    GatewayTarget All { get; }

    /// <summary>Every connection but the given ones (e.g. the sender).</summary>
    GatewayTarget AllExcept(params IEnumerable<string> connectionIds);

    /// <summary>One connection.</summary>
    GatewayTarget Client(string connectionId);

    /// <summary>Several connections.</summary>
    GatewayTarget Clients(params IEnumerable<string> connectionIds);

    /// <summary>The members of a room.</summary>
    GatewayTarget Room(string room);

    /// <summary>The members of several rooms, each connection once.</summary>
    GatewayTarget Rooms(params IEnumerable<string> rooms);

    /// <summary>Every connection of a user (see <see cref="IGatewayUserIdProvider"/>).</summary>
    GatewayTarget User(string userId);

    /// <summary>Every connection of several users.</summary>
    GatewayTarget Users(params IEnumerable<string> userIds);

    /// <summary>Finds an open connection by id.</summary>
    GatewayClient? GetClient(string connectionId);

    /// <summary>The rooms that have at least one member.</summary>
    IReadOnlyCollection<string> ListRooms();

    /// <summary>The members of a room.</summary>
    IReadOnlyCollection<GatewayClient> GetRoomMembers(string room);

    /// <summary>How many members a room has.</summary>
    int CountRoomMembers(string room);

    /// <summary>Adds a connection to a room; false when it is not open or already a member.</summary>
    bool Join(string connectionId, string room);

    /// <summary>Removes a connection from a room; false when it was not a member.</summary>
    bool Leave(string connectionId, string room);
}
