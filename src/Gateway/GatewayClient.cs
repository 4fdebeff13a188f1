using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json.Serialization.Metadata;
using Gateway.Internal;
using Gateway.Internal.Protocol;
using Gateway.Internal.SocketIO;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway;

/// <summary>
/// One WebSocket connection to a gateway path: its identity, its HTTP request, and the way to push frames to it.
/// Sends are safe from any thread; frames of concurrent senders never interleave.
/// </summary>
public sealed class GatewayClient : IGatewayEventSink
{
    // The outbound machinery (send lock, push queue, slow-consumer policy, dropped frames) of this connection.
    private readonly Outbox _outbox;
    private readonly CancellationToken _applicationStopping;
    private Dictionary<object, object?>? _items;
    private HashSet<string>? _rooms;

    // Created the first time a handler asks for its token: most connections never need one.
    private CancellationTokenSource? _handlerAborted;

    internal GatewayClient(
        WebSocket socket,
        HttpContext httpContext,
        GatewayOptions options,
        ConnectionRegistry registry,
        GatewayMetrics metrics,
        ILogger logger,
        CancellationToken connectionAborted,
        CancellationToken applicationStopping)
    {
        _applicationStopping = applicationStopping;
        Registry = registry;
        HttpContext = httpContext;
        // The request's RequestAborted, read once (every reply passes it, and the feature lookup behind it is not
        // free); a resumable connection's own token, since it outlives a transport that drops.
        ConnectionAborted = connectionAborted;
        Id = NewId();
        _outbox = new Outbox(socket, options, registry.Protocol, metrics, logger, Id, registry.Path, ConnectionAborted);
        _socketIO = socket as SocketIoSocket;
    }

    // The Socket.IO connection under this client, or null for a NestJS ws client.
    private readonly SocketIoSocket? _socketIO;

    /// <summary>The wire protocol this client speaks.</summary>
    public GatewayProtocol Protocol => _socketIO is null ? GatewayProtocol.NestWs : GatewayProtocol.SocketIO;

    /// <summary>
    /// The <c>auth</c> payload a Socket.IO client sent when it connected (socket.io-client's <c>auth</c> option; NestJS's
    /// <c>client.handshake.auth</c>), readable by connection guards and hooks; undefined when there is none (and for
    /// NestJS ws clients, which pass tokens in the query string or headers of <see cref="HttpContext"/>).
    /// </summary>
    public JsonElement Auth => _socketIO?.Auth ?? default;

    /// <summary>
    /// Sends an event the client must acknowledge and returns the first argument of its acknowledgement (Socket.IO's
    /// <c>emitWithAck</c>; on the client, the event handler's callback).
    /// </summary>
    /// <param name="event">The event name.</param>
    /// <param name="data">The payload.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <param name="resultTypeInfo">Source-generated JSON metadata for <typeparamref name="TResult"/>.</param>
    /// <param name="timeout">How long to wait; <see cref="SocketIOOptions.AckTimeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">The client did not acknowledge in time.</exception>
    /// <exception cref="NotSupportedException">The client speaks NestJS's ws protocol, which has no acknowledgements.</exception>
    public async Task<TResult?> RequestAsync<T, TResult>(
        string @event, T data, JsonTypeInfo<T> typeInfo, JsonTypeInfo<TResult> resultTypeInfo, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        if (_socketIO is not { } socket)
        {
            throw new NotSupportedException("Acknowledgements need a Socket.IO client; NestJS's ws protocol has none.");
        }

        byte[] arguments = await socket.RequestAckAsync(
            id => new AckRequestFrame<T>(@event, data, typeInfo, id), this, timeout ?? socket.AckTimeout, cancellationToken).ConfigureAwait(false);
        var reader = new Utf8JsonReader(arguments);
        reader.Read();
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return default;
        }

        return JsonSerializer.Deserialize(ref reader, resultTypeInfo);
    }

    /// <summary>A unique, URL-safe identifier of this connection.</summary>
    public string Id { get; }

    /// <summary>The HTTP upgrade request of this connection.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The authenticated user of the upgrade request.</summary>
    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>Signalled when the connection ends.</summary>
    public CancellationToken ConnectionAborted { get; }

    /// <summary>Per-connection state that lives as long as the connection.</summary>
    public IDictionary<object, object?> Items => _items ??= [];

    /// <summary>The user id this connection is indexed under (see <see cref="IGatewayUserIdProvider"/>), if any.</summary>
    public string? UserId { get; internal set; }

    /// <summary>The rooms this connection is in.</summary>
    public IReadOnlyCollection<string> Rooms => Registry.RoomsOf(this);

    /// <summary>Bytes of pushed frames waiting to be sent to this client.</summary>
    public long QueuedBytes => _outbox.QueuedBytes;

    /// <summary>
    /// Frames addressed to this client that were never sent: dropped by <see cref="SlowConsumerPolicy"/>, still
    /// queued when the connection ended, or cancelled by their sender while they waited in the queue.
    /// </summary>
    public long FramesDropped => _outbox.FramesDropped;

    internal ConnectionRegistry Registry { get; }

    /// <summary>
    /// The token handlers get: signalled when the connection ends or the application stops, so that handlers in
    /// flight stop during a graceful shutdown while their connection can still be closed cleanly.
    /// </summary>
    internal CancellationToken HandlerAborted
    {
        get
        {
            CancellationTokenSource? source = Volatile.Read(ref _handlerAborted);
            if (source is null)
            {
                var created = CancellationTokenSource.CreateLinkedTokenSource(ConnectionAborted, _applicationStopping);
                source = Interlocked.CompareExchange(ref _handlerAborted, created, null) ?? created;
                if (source != created)
                {
                    created.Dispose();
                }
            }

            return source.Token;
        }
    }

    /// <summary>Whether the handlers' token has fired (the connection ended or the application is stopping).</summary>
    internal bool IsHandlerAborted => ConnectionAborted.IsCancellationRequested || _applicationStopping.IsCancellationRequested;

    internal bool IsRegistered { get; set; }

    internal HashSet<string> RoomSet => _rooms ??= new(StringComparer.Ordinal);

    internal bool HasRooms => _rooms is { Count: > 0 };

    /// <summary>The close status the server sent, when the server closed the connection.</summary>
    internal WebSocketCloseStatus? SentCloseStatus
    {
        get => _outbox.SentCloseStatus;
        set => _outbox.SentCloseStatus = value;
    }

    /// <summary>Adds this connection to <paramref name="room"/>; returns false when it was in it already or has closed.</summary>
    public bool Join(string room) => Registry.Join(this, room);

    /// <summary>Removes this connection from <paramref name="room"/>; returns false when it was not in it.</summary>
    public bool Leave(string room) => Registry.Leave(this, room);

    /// <summary>Sends <c>{"event": event, "data": data}</c> to this client.</summary>
    /// <param name="event">The event name.</param>
    /// <param name="data">The payload.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <remarks>
    /// While pushes wait for this client, the frame is queued behind them and the call completes once it is queued:
    /// the queue's bound and <see cref="SlowConsumerPolicy"/> apply to it as to a push, and it is dropped unsent if
    /// <paramref name="cancellationToken"/> is cancelled before its turn. Dropped frames count in <see cref="FramesDropped"/>.
    /// </remarks>
    public ValueTask SendAsync<T>(string @event, T data, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return SendFrameAsync(new EventFrame<T>(@event, data, typeInfo), cancellationToken);
    }

    /// <summary>Sends <c>{"event": event}</c>, an event without data, to this client.</summary>
    /// <param name="event">The event name.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public ValueTask SendAsync(string @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return SendFrameAsync(new EventOnlyFrame(@event), cancellationToken);
    }

    /// <summary>The typed contract <typeparamref name="TEvents"/> (a <see cref="ClientEventsAttribute"/> interface) for this client.</summary>
    public TEvents As<TEvents>() where TEvents : class => GatewayClientEvents.Create<TEvents>(this);

    ValueTask IGatewayEventSink.SendAsync<T>(string eventName, T data, JsonTypeInfo<T> typeInfo) => SendAsync(eventName, data, typeInfo);

    ValueTask IGatewayEventSink.SendAsync(string eventName) => SendAsync(eventName);

    /// <summary>Starts the close handshake with <paramref name="status"/>.</summary>
    /// <param name="status">The close status sent to the client.</param>
    /// <param name="description">An optional reason sent to the client.</param>
    /// <param name="cancellationToken">Cancels the close.</param>
    public ValueTask CloseAsync(
        WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure,
        string? description = null,
        CancellationToken cancellationToken = default) => _outbox.CloseAsync(status, description, cancellationToken);

    /// <summary>Sends a frame now, or queues it behind the pushes waiting for this client.</summary>
    internal ValueTask SendFrameAsync<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame => _outbox.SendAsync(frame, cancellationToken);

    /// <summary>Queues a pushed frame; see <see cref="Outbox.Enqueue"/>.</summary>
    /// <returns>Whether the frame was queued.</returns>
    internal bool Enqueue(SharedFrame frame) => IsRegistered && _outbox.Enqueue(frame);

    /// <summary>Drops the frames still queued when the connection has ended.</summary>
    internal void ReleaseQueuedFrames()
    {
        _outbox.Stop();
        Interlocked.Exchange(ref _handlerAborted, null)?.Dispose();
    }

    /// <summary>Completes when every queued frame has been sent (or dropped), or when <paramref name="cancellationToken"/> fires.</summary>
    internal Task FlushAsync(CancellationToken cancellationToken) => _outbox.FlushAsync(cancellationToken);

    private static string NewId() => RandomIds.Create(15);
}
