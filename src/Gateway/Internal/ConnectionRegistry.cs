using System.Collections.Concurrent;
using Gateway.Internal.Protocol;

namespace Gateway.Internal;

/// <summary>
/// The open connections of one gateway path, their rooms and their users. Reads (who gets a broadcast) are
/// lock-free; joins, leaves and disconnects take one lock per path so that a room never keeps a closed connection
/// and an empty room disappears.
/// </summary>
internal sealed class ConnectionRegistry(IGatewayUserIdProvider userIds, WireProtocol protocol)
{
    private readonly ConcurrentDictionary<string, GatewayClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, GatewayClient>> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, GatewayClient>> _users = new(StringComparer.Ordinal);
    private readonly Lock _membership = new();

    /// <summary>The wire protocol of this path: how its messages are read and its frames written.</summary>
    public WireProtocol Protocol { get; } = protocol;

    public int Count => _clients.Count;

    public ICollection<GatewayClient> Clients => _clients.Values;

    public void Add(GatewayClient client)
    {
        string? userId = userIds.GetUserId(client);
        lock (_membership)
        {
            client.UserId = userId;
            client.IsRegistered = true;
            _clients[client.Id] = client;
            bool firstOfUser = false;
            if (userId is not null)
            {
                ConcurrentDictionary<string, GatewayClient> connections = _users.GetOrAdd(userId, static _ => new(StringComparer.Ordinal));
                firstOfUser = connections.IsEmpty;
                connections[client.Id] = client;
            }

            Backplane?.Connected(this, client, firstOfUser);
        }
    }

    public void Remove(GatewayClient client)
    {
        lock (_membership)
        {
            client.IsRegistered = false;
            _clients.TryRemove(client.Id, out _);
            if (client.HasRooms)
            {
                foreach (string room in client.RoomSet)
                {
                    bool last = RemoveMember(_rooms, room, client.Id);
                    Backplane?.Left(this, client, room, last);
                }

                client.RoomSet.Clear();
            }

            bool lastOfUser = client.UserId is { } userId && RemoveMember(_users, userId, client.Id);
            Backplane?.Disconnected(this, client, lastOfUser);
        }
    }

    /// <summary>The gateway path these connections are on.</summary>
    public string Path { get; init; } = "";

    /// <summary>The instruments broadcasts to this path are counted on; null in registries built without them (tests).</summary>
    public GatewayMetrics? Metrics { get; init; }

    /// <summary>The scale-out backplane, or null when this node is alone.</summary>
    public IGatewayBackplane? Backplane { get; init; }

    public GatewayClient? Find(string connectionId) => _clients.TryGetValue(connectionId, out GatewayClient? client) ? client : null;

    public bool Join(GatewayClient client, string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        lock (_membership)
        {
            if (!client.IsRegistered || !client.RoomSet.Add(room))
            {
                return false;
            }

            ConcurrentDictionary<string, GatewayClient> members = _rooms.GetOrAdd(room, static _ => new(StringComparer.Ordinal));
            bool first = members.IsEmpty;
            members[client.Id] = client;
            Backplane?.Joined(this, client, room, first);
            return true;
        }
    }

    public bool Leave(GatewayClient client, string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        lock (_membership)
        {
            if (!client.RoomSet.Remove(room))
            {
                return false;
            }

            bool last = RemoveMember(_rooms, room, client.Id);
            Backplane?.Left(this, client, room, last);
            return true;
        }
    }

    public string[] RoomsOf(GatewayClient client)
    {
        lock (_membership)
        {
            return client.HasRooms ? [.. client.RoomSet] : [];
        }
    }

    public IReadOnlyCollection<string> RoomNames => [.. _rooms.Keys];

    public ICollection<GatewayClient> RoomMembers(string room) =>
        _rooms.TryGetValue(room, out ConcurrentDictionary<string, GatewayClient>? members) ? members.Values : [];

    public bool IsMember(string room, string connectionId) =>
        _rooms.TryGetValue(room, out ConcurrentDictionary<string, GatewayClient>? members) && members.ContainsKey(connectionId);

    /// <summary>How many connections of <paramref name="userId"/> this path holds.</summary>
    public int UserConnectionCount(string userId) => _users.TryGetValue(userId, out var connections) ? connections.Count : 0;

    public ICollection<GatewayClient> UserConnections(string userId) =>
        _users.TryGetValue(userId, out ConcurrentDictionary<string, GatewayClient>? connections) ? connections.Values : [];

    /// <summary>Removes a member; returns true when that emptied (and removed) the set.</summary>
    private static bool RemoveMember(
        ConcurrentDictionary<string, ConcurrentDictionary<string, GatewayClient>> index, string key, string connectionId)
    {
        if (index.TryGetValue(key, out ConcurrentDictionary<string, GatewayClient>? members)
            && members.TryRemove(connectionId, out _)
            && members.IsEmpty)
        {
            index.TryRemove(key, out _);
            return true;
        }

        return false;
    }
}
