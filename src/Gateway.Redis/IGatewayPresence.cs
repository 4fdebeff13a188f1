namespace Gateway.Redis;

/// <summary>
/// Cluster-wide presence of a gateway's path, kept in Redis: the rooms of a connection, the members of a room and the
/// connections of a user, on every node. Inject <c>IGatewayPresence&lt;ChatGateway&gt;</c>.
/// </summary>
/// <remarks>
/// Consistency: eventual. Each node writes its own changes to Redis in the order they happen on it, without waiting
/// (a join is visible to a query on another node after one Redis round trip, usually well under a millisecond; a
/// query right after a join may not see it yet). Connections of a node whose heartbeat has expired are left out of
/// every answer, so a node that died without cleaning up disappears after <see cref="RedisBackplaneOptions.PresenceExpiry"/>;
/// its keys are deleted by the next surviving node's heartbeat. While Redis is unreachable queries throw
/// <see cref="StackExchange.Redis.RedisConnectionException"/>; when it is back, each node rewrites its own entries,
/// so presence is complete again after one reconnection, even if Redis lost its data.
/// </remarks>
/// <typeparam name="TGateway">The gateway whose path is queried.</typeparam>
public interface IGatewayPresence<TGateway> where TGateway : class
{
    /// <summary>The rooms of a connection, on whichever node it is; empty when it is not open.</summary>
    Task<IReadOnlyList<string>> GetRoomsAsync(string connectionId, CancellationToken cancellationToken = default);

    /// <summary>The connection ids of the members of a room, on every node.</summary>
    Task<IReadOnlyList<string>> GetRoomMembersAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>The connection ids of a user (see <see cref="IGatewayUserIdProvider"/>), on every node.</summary>
    Task<IReadOnlyList<string>> GetUserConnectionsAsync(string userId, CancellationToken cancellationToken = default);
}
