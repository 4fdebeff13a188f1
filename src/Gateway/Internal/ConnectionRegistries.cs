using System.Collections.Concurrent;
using Gateway.Internal.Protocol;

namespace Gateway.Internal;

/// <summary>
/// One <see cref="ConnectionRegistry"/> per gateway path, shared by the endpoint and the server handles. Every path
/// speaks the NestJS protocol today; a path's protocol is chosen here.
/// </summary>
internal sealed class ConnectionRegistries(IGatewayUserIdProvider userIds)
{
    private readonly ConcurrentDictionary<string, ConnectionRegistry> _byPath = new(StringComparer.Ordinal);

    public ConnectionRegistry For(string path) => _byPath.GetOrAdd(path, static (_, ids) => new ConnectionRegistry(ids, NestWsProtocol.Instance), userIds);
}
