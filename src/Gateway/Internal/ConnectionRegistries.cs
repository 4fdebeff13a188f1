using System.Collections.Concurrent;
using Gateway.Internal.Protocol;

namespace Gateway.Internal;

/// <summary>
/// One <see cref="ConnectionRegistry"/> per gateway path, shared by the endpoint and the server handles. Every path
/// speaks the NestJS protocol today; a path's protocol is chosen here.
/// </summary>
internal sealed class ConnectionRegistries(IGatewayUserIdProvider userIds, IGatewayBackplane? backplane = null)
{
    private readonly ConcurrentDictionary<string, ConnectionRegistry> _byPath = new(StringComparer.Ordinal);
    private readonly Lock _attach = new();

    public ConnectionRegistry For(string path)
    {
        if (_byPath.TryGetValue(path, out ConnectionRegistry? registry))
        {
            return registry;
        }

        lock (_attach)
        {
            if (!_byPath.TryGetValue(path, out registry))
            {
                registry = new ConnectionRegistry(userIds, NestWsProtocol.Instance) { Path = path, Backplane = backplane };
                _byPath[path] = registry;
                backplane?.Attach(registry);
            }

            return registry;
        }
    }
}
