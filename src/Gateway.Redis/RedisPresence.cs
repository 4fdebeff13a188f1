using StackExchange.Redis;

namespace Gateway.Redis;

internal sealed class RedisPresence<TGateway>(RedisBackplane backplane, IGatewayServer<TGateway> server) : IGatewayPresence<TGateway>
    where TGateway : class
{
    public async Task<IReadOnlyList<string>> GetRoomsAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        IDatabase db = Database();
        HashEntry[] fields = await db.HashGetAllAsync(backplane.Keys.Connection(server.Path, connectionId))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        string? node = null;
        var rooms = new List<string>();
        foreach (HashEntry field in fields)
        {
            string name = field.Name!;
            if (name == RedisKeys.NodeField)
            {
                node = field.Value;
            }
            else if (name.StartsWith(RedisKeys.RoomFieldPrefix, StringComparison.Ordinal))
            {
                rooms.Add(name[RedisKeys.RoomFieldPrefix.Length..]);
            }
        }

        if (node is null || (await backplane.AliveNodesAsync(db, [node]).WaitAsync(cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return [];
        }

        rooms.Sort(StringComparer.Ordinal);
        return rooms;
    }

    public Task<IReadOnlyList<string>> GetRoomMembersAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return LiveMembersAsync(backplane.Keys.RoomMembers(server.Path, room), cancellationToken);
    }

    public Task<IReadOnlyList<string>> GetUserConnectionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return LiveMembersAsync(backplane.Keys.UserConnections(server.Path, userId), cancellationToken);
    }

    /// <summary>The connection ids in a set of <c>{node}/{id}</c>, without those of nodes whose heartbeat expired.</summary>
    private async Task<IReadOnlyList<string>> LiveMembersAsync(RedisKey key, CancellationToken cancellationToken)
    {
        IDatabase db = Database();
        RedisValue[] members = await db.SetMembersAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        var parsed = new List<(string Node, string Id)>(members.Length);
        foreach (RedisValue member in members)
        {
            string text = member!;
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                parsed.Add((text[..slash], text[(slash + 1)..]));
            }
        }

        HashSet<string> alive = await backplane.AliveNodesAsync(db, parsed.Select(static p => p.Node)).WaitAsync(cancellationToken).ConfigureAwait(false);
        List<string> ids = [.. parsed.Where(p => alive.Contains(p.Node)).Select(static p => p.Id)];
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    private IDatabase Database() =>
        (backplane.Redis ?? throw new InvalidOperationException("The Redis backplane has not started.")).GetDatabase();
}
