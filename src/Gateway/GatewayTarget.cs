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

    internal GatewayTarget(ConnectionRegistry registry, TargetKind kind, string[] keys)
    {
        _registry = registry;
        _kind = kind;
        _keys = keys;
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
        return Send(FrameSerializer.Serialize(new EventFrame<T>(@event, data, typeInfo), Protocol));
    }

    private WireProtocol Protocol
    {
        get
        {
            ArgumentNullException.ThrowIfNull(_registry, "target");
            return _registry.Protocol;
        }
    }

    private int Send(SharedFrame frame)
    {
        try
        {
            int count = DeliverLocally(frame);
            _registry.Metrics?.Broadcast(_registry.Path, count);
            _registry.Backplane?.Publish(_registry, _kind, _keys, frame);
            return count;
        }
        finally
        {
            frame.Release();
        }
    }

    /// <summary>Queues the frame for the recipients on this node; a backplane calls it for frames of other nodes.</summary>
    internal int DeliverLocally(SharedFrame frame)
    {
        int count = 0;
        foreach (GatewayClient client in Recipients())
        {
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
        return Send(FrameSerializer.Serialize(new EventOnlyFrame(@event), Protocol));
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
    public IReadOnlyCollection<GatewayClient> Connections => [.. Recipients()];

    private IEnumerable<GatewayClient> Recipients()
    {
        ArgumentNullException.ThrowIfNull(_registry, "target");
        switch (_kind)
        {
            case TargetKind.All:
                return _registry.Clients;
            case TargetKind.AllExcept:
                var excluded = new HashSet<string>(_keys, StringComparer.Ordinal);
                return _registry.Clients.Where(c => !excluded.Contains(c.Id));
            case TargetKind.Clients:
                ConnectionRegistry registry = _registry;
                return _keys.Distinct(StringComparer.Ordinal).Select(registry.Find).OfType<GatewayClient>();
            case TargetKind.Rooms:
                return Union(_keys.Length == 1 ? [_registry.RoomMembers(_keys[0])] : _keys.Select(_registry.RoomMembers).ToArray());
            default:
                return Union(_keys.Length == 1 ? [_registry.UserConnections(_keys[0])] : _keys.Select(_registry.UserConnections).ToArray());
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
