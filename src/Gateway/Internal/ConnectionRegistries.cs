using System.Collections.Concurrent;

namespace Gateway.Internal;

/// <summary>One <see cref="ConnectionRegistry"/> per gateway path, shared by the endpoint and the server handles.</summary>
internal sealed class ConnectionRegistries(IGatewayUserIdProvider userIds)
{
    private readonly ConcurrentDictionary<string, ConnectionRegistry> _byPath = new(StringComparer.Ordinal);

    public ConnectionRegistry For(string path) => _byPath.GetOrAdd(path, static (_, ids) => new ConnectionRegistry(ids), userIds);
}
