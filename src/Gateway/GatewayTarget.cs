using System.Text.Json.Serialization.Metadata;
using Gateway.Internal;
using Gateway.Internal.Protocol;

namespace Gateway;

/// <summary>
/// A set of connections of one gateway path to push a frame to: everyone, everyone but some, clients by id, rooms
/// or users. Get one from <see cref="IGatewayServer{TGateway}"/>. The frame is serialized once and the same bytes
/// are queued for every recipient.
/// </summary>
public readonly struct GatewayTarget : IGatewayEventSink
{
    private readonly ConnectionRegistry _registry;
    private readonly TargetKind _kind;
    private readonly string[] _keys;

    // The same gateway's connections over the other wire protocol (Socket.IO's namespace), when the app serves both.
    private readonly ConnectionRegistry? _also;

    // Connections left out whatever the kind (Except).
    private readonly string[]? _except;

    internal GatewayTarget(ConnectionRegistry registry, TargetKind kind, string[] keys)
        : this(registry, kind, keys, null, null)
    {
    }

    internal GatewayTarget(ConnectionRegistry registry, TargetKind kind, string[] keys, ConnectionRegistry? also, string[]? except)
    {
        _registry = registry;
        _kind = kind;
        _keys = keys;
        _also = also;
        _except = except;
    }

    /// <summary>
    /// The same target without the given connections: <c>server.Room(room).Except(client.Id)</c> is everyone else in the
    /// room (Socket.IO's <c>client.to(room).emit</c>, SignalR's <c>OthersInGroup</c>). Applies on every node.
    /// </summary>
    public GatewayTarget Except(params IEnumerable<string> connectionIds)
    {
        ArgumentNullException.ThrowIfNull(_registry, "target");
        ArgumentNullException.ThrowIfNull(connectionIds);
        return new GatewayTarget(_registry, _kind, _keys, _also, [.. _except ?? [], .. connectionIds]);
    }

    internal enum TargetKind
    {
        All,
        AllExcept,
        Clients,
        Rooms,
        Users,
    }

    /// <summary>
    /// Queues <c>{"event": event, "data": data}</c> for every connection of the target. Completes once the frame is
    /// queued; each connection sends its frames in the order they were queued.
    /// </summary>
    /// <param name="event">The event name.</param>
    /// <param name="data">The payload.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <returns>How many connections the frame was queued for.</returns>
    public int Send<T>(string @event, T data, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Send(new EventFrame<T>(@event, data, typeInfo));
    }

    // Serialized once per wire protocol: once for the NestJS ws clients, once more for the Socket.IO ones if any.
    private int Send<TFrame>(TFrame frame)
        where TFrame : IOutboundFrame
    {
        ArgumentNullException.ThrowIfNull(_registry, "target");
        int count = Send(_registry, FrameSerializer.Serialize(frame, _registry.Protocol));
        if (_also is { } also && (also.Count > 0 || also.Backplane is not null))
        {
            count += Send(also, FrameSerializer.Serialize(frame, also.Protocol));
        }

        return count;
    }

    private int Send(ConnectionRegistry registry, SharedFrame frame)
    {
        try
        {
            int count = DeliverLocally(registry, frame);
            registry.Metrics?.Broadcast(registry.Path, count);
            registry.Backplane?.Publish(registry, _kind, _keys, frame, _except);
            return count;
        }
        finally
        {
            frame.Release();
        }
    }

    /// <summary>Queues the frame for the recipients on this node; a backplane calls it for frames of other nodes.</summary>
    internal int DeliverLocally(SharedFrame frame) => DeliverLocally(_registry, frame);

    private int DeliverLocally(ConnectionRegistry registry, SharedFrame frame)
    {
        int count = 0;
        foreach (GatewayClient client in Recipients(registry))
        {
            if (_except is { } except && Array.IndexOf(except, client.Id) >= 0)
            {
                continue;
            }

            if (client.Enqueue(frame))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Queues <c>{"event": event}</c>, an event without data, for every connection of the target.</summary>
    /// <returns>How many connections the frame was queued for.</returns>
    public int Send(string @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return Send(new EventOnlyFrame(@event));
    }

    /// <summary>The typed contract <typeparamref name="TEvents"/> (a <see cref="ClientEventsAttribute"/> interface) for this target.</summary>
    public TEvents As<TEvents>() where TEvents : class => GatewayClientEvents.Create<TEvents>(this);

    ValueTask IGatewayEventSink.SendAsync<T>(string eventName, T data, JsonTypeInfo<T> typeInfo)
    {
        Send(eventName, data, typeInfo);
        return default;
    }

    ValueTask IGatewayEventSink.SendAsync(string eventName)
    {
        Send(eventName);
        return default;
    }

    /// <summary>The same as <see cref="Send{T}(string, T, JsonTypeInfo{T})"/>, for callers that prefer an awaitable.</summary>
    public ValueTask<int> SendAsync<T>(string @event, T data, JsonTypeInfo<T> typeInfo) =>
        ValueTask.FromResult(Send(@event, data, typeInfo));

    /// <summary>The connections of the target at this moment.</summary>
    public IReadOnlyCollection<GatewayClient> Connections
    {
        get
        {
            ArgumentNullException.ThrowIfNull(_registry, "target");
            string[] except = _except ?? [];
            IEnumerable<GatewayClient> all = _also is { } also ? Recipients(_registry).Concat(Recipients(also)) : Recipients(_registry);
            return [.. all.Where(c => Array.IndexOf(except, c.Id) < 0)];
        }
    }

    private IEnumerable<GatewayClient> Recipients(ConnectionRegistry registry)
    {
        switch (_kind)
        {
            case TargetKind.All:
                return registry.Clients;
            case TargetKind.AllExcept:
                var excluded = new HashSet<string>(_keys, StringComparer.Ordinal);
                return registry.Clients.Where(c => !excluded.Contains(c.Id));
            case TargetKind.Clients:
                return _keys.Distinct(StringComparer.Ordinal).Select(registry.Find).OfType<GatewayClient>();
            case TargetKind.Rooms:
                return Union(_keys.Length == 1 ? [registry.RoomMembers(_keys[0])] : _keys.Select(registry.RoomMembers).ToArray());
            default:
                return Union(_keys.Length == 1 ? [registry.UserConnections(_keys[0])] : _keys.Select(registry.UserConnections).ToArray());
        }
    }

    private static IEnumerable<GatewayClient> Union(ICollection<GatewayClient>[] sets)
    {
        if (sets.Length == 1)
        {
            return sets[0];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return sets.SelectMany(static s => s).Where(c => seen.Add(c.Id));
    }
}
