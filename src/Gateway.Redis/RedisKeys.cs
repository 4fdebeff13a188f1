using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// The channels and keys of one cluster (one prefix). Channels: <c>{p}:{path}:all</c> (all, all-except, clients),
/// <c>{p}:{path}:room:{room}</c>, <c>{p}:{path}:user:{user}</c>. Presence keys: <c>{p}:nodes</c> (set of node ids),
/// <c>{p}:alive:{node}</c> (string with the expiry as TTL), <c>{p}:node:{node}</c> (set of the node's connection keys),
/// <c>{p}:{path}:conn:{id}</c> (hash: node, path, id, user, one <c>r:{room}</c> field per room),
/// <c>{p}:{path}:members:{room}</c> and <c>{p}:{path}:userconns:{user}</c> (sets of <c>{node}/{id}</c>).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public const string NodeField = "~node";
    public const string PathField = "~path";
    public const string IdField = "~id";
    public const string UserField = "~user";
    public const string RoomFieldPrefix = "r:";

    public RedisKey Nodes { get; } = prefix + ":nodes";

    public RedisKey Alive(string node) => $"{prefix}:alive:{node}";

    public RedisKey NodeConnections(string node) => $"{prefix}:node:{node}";

    public RedisKey Connection(string path, string connectionId) => $"{prefix}:{path}:conn:{connectionId}";

    public RedisKey RoomMembers(string path, string room) => $"{prefix}:{path}:members:{room}";

    public RedisKey UserConnections(string path, string user) => $"{prefix}:{path}:userconns:{user}";

    public RedisChannel AllChannel(string path) => RedisChannel.Literal($"{prefix}:{path}:all");

    public RedisChannel RoomChannel(string path, string room) => RedisChannel.Literal($"{prefix}:{path}:room:{room}");

    public RedisChannel UserChannel(string path, string user) => RedisChannel.Literal($"{prefix}:{path}:user:{user}");

    public static string Member(string node, string connectionId) => node + "/" + connectionId;
}
