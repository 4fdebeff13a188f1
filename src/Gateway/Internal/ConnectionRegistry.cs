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
            if (userId is not null)
            {
                _users.GetOrAdd(userId, static _ => new(StringComparer.Ordinal))[client.Id] = client;
            }
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
                    RemoveMember(_rooms, room, client.Id);
                }

                client.RoomSet.Clear();
            }
            if (client.UserId is { } userId)
            {
                RemoveMember(_users, userId, client.Id);
            }
        }
    }

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

            _rooms.GetOrAdd(room, static _ => new(StringComparer.Ordinal))[client.Id] = client;
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

            RemoveMember(_rooms, room, client.Id);
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

    public ICollection<GatewayClient> UserConnections(string userId) =>
        _users.TryGetValue(userId, out ConcurrentDictionary<string, GatewayClient>? connections) ? connections.Values : [];

    private static void RemoveMember(
        ConcurrentDictionary<string, ConcurrentDictionary<string, GatewayClient>> index, string key, string connectionId)
    {
        if (index.TryGetValue(key, out ConcurrentDictionary<string, GatewayClient>? members)
            && members.TryRemove(connectionId, out _)
            && members.IsEmpty)
        {
            index.TryRemove(key, out _);
        }
    }
}
