using System.Collections.Concurrent;
using Gateway.Internal.Protocol;

namespace Gateway.Internal;

/// <summary>
/// One <see cref="ConnectionRegistry"/> per gateway path (NestJS's ws protocol) and per Socket.IO namespace, shared by
/// the endpoints and the server handles; each registry's protocol is chosen here.
/// </summary>
internal sealed class ConnectionRegistries
{
    private readonly ConcurrentDictionary<string, ConnectionRegistry> _byPath = new(StringComparer.Ordinal);
    private readonly Lock _attach = new();
    private readonly IGatewayUserIdProvider _userIds;
    private readonly IGatewayBackplane? _backplane;
    private readonly GatewayMetrics? _metrics;

    // Every path speaks the NestJS protocol; GatewayOptions.MessageFormat picks how its messages are read.
    private readonly WireProtocol _protocol;

    public ConnectionRegistries(
        IGatewayUserIdProvider userIds,
        GatewayMetrics? metrics = null,
        IGatewayBackplane? backplane = null,
        Microsoft.Extensions.Options.IOptions<GatewayOptions>? options = null)
    {
        _protocol = options?.Value.MessageFormat == GatewayMessageFormat.Array ? NestWsArrayProtocol.Instance : NestWsProtocol.Instance;
        _userIds = userIds;
        _backplane = backplane;
        _metrics = metrics;
        metrics?.ObserveQueues(QueuedBytes);
    }

    /// <summary>The paths' registries, for the health check.</summary>
    public ICollection<ConnectionRegistry> All => _byPath.Values;

    /// <summary>The connection count of every path, for the health check.</summary>
    public int ConnectionCount => _byPath.Values.Sum(static r => r.Count);

    /// <summary>Whether a backplane carries pushes to other nodes, and whether it can now.</summary>
    public IGatewayBackplane? Backplane => _backplane;

    // The Socket.IO endpoint's path once MapSocketIO has run: each namespace then has a registry of its own.
    private string? _socketIOPath;

    /// <summary>Serves Socket.IO at <paramref name="path"/>: pushes to a gateway reach its namespace's clients too.</summary>
    public void EnableSocketIO(string path) => _socketIOPath = path;

    /// <summary>The registry of a Socket.IO namespace, or null when the application does not serve Socket.IO.</summary>
    public ConnectionRegistry? ForNamespace(string @namespace) =>
        _socketIOPath is { } path ? For(path + "#" + @namespace, @namespace) : null;

    public ConnectionRegistry For(string path) => For(path, null);

    private ConnectionRegistry For(string path, string? socketIONamespace)
    {
        if (_byPath.TryGetValue(path, out ConnectionRegistry? registry))
        {
            return registry;
        }

        lock (_attach)
        {
            if (!_byPath.TryGetValue(path, out registry))
            {
                WireProtocol protocol = socketIONamespace is null ? _protocol : new SocketIoProtocol(socketIONamespace);
                registry = new ConnectionRegistry(_userIds, protocol) { Path = path, Backplane = _backplane, Metrics = _metrics };
                _byPath[path] = registry;
                _backplane?.Attach(registry);
            }

            return registry;
        }
    }

    // Read by a listener collecting gateway.server.outbound_queue.size: one walk over the connections of each path.
    private IEnumerable<System.Diagnostics.Metrics.Measurement<long>> QueuedBytes()
    {
        foreach (ConnectionRegistry registry in _byPath.Values)
        {
            long bytes = 0;
            foreach (GatewayClient client in registry.Clients)
            {
                bytes += client.QueuedBytes;
            }

            yield return new(bytes, new KeyValuePair<string, object?>("gateway.path", registry.Path));
        }
    }
}
