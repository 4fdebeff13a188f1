using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Internal;
using Microsoft.AspNetCore.Http;

namespace Gateway;

/// <summary>
/// One WebSocket connection to a gateway path: its identity, its HTTP request, and the way to push frames to it.
/// Sends are safe from any thread; frames of concurrent senders never interleave.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore never allocates a wait handle and the writer holds only pooled buffers, which are returned after each send.")]
public sealed class GatewayClient : IGatewayEventSink
{
    private readonly WebSocket _socket;
    private readonly SendLock _sendLock = new();
    private readonly PooledBufferWriter _buffer = new();
    private readonly GatewayOptions _options;
    private Utf8JsonWriter? _writer;
    private Dictionary<object, object?>? _items;
    private HashSet<string>? _rooms;

    // Pushed frames wait here; a drain task sends them and exits when the queue is empty, so idle clients hold no task.
    private ConcurrentQueue<SharedFrame>? _outbound;
    private long _queuedBytes;
    private int _draining;
    private int _pushesStopped;

    internal GatewayClient(WebSocket socket, HttpContext httpContext, GatewayOptions options, ConnectionRegistry registry)
    {
        _socket = socket;
        _options = options;
        Registry = registry;
        HttpContext = httpContext;
        // Read once: every reply passes it, and the feature lookup behind HttpContext.RequestAborted is not free.
        ConnectionAborted = httpContext.RequestAborted;
        Id = NewId();
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
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    internal ConnectionRegistry Registry { get; }

    internal bool IsRegistered { get; set; }

    internal HashSet<string> RoomSet => _rooms ??= new(StringComparer.Ordinal);

    internal bool HasRooms => _rooms is { Count: > 0 };

    /// <summary>The close status the server sent, when the server closed the connection.</summary>
    internal WebSocketCloseStatus? SentCloseStatus { get; set; }

    /// <summary>Adds this connection to <paramref name="room"/>; returns false when it was in it already or has closed.</summary>
    public bool Join(string room) => Registry.Join(this, room);

    /// <summary>Removes this connection from <paramref name="room"/>; returns false when it was not in it.</summary>
    public bool Leave(string room) => Registry.Leave(this, room);

    /// <summary>Sends <c>{"event": event, "data": data}</c> to this client.</summary>
    /// <param name="event">The event name.</param>
    /// <param name="data">The payload.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
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
    public async ValueTask CloseAsync(
        WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure,
        string? description = null,
        CancellationToken cancellationToken = default)
    {
        await _sendLock.EnterAsync().ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, description, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Exit();
        }
    }

    /// <summary>
    /// Writes the frame into the connection's buffer and sends it. The common case, an uncontended lock and a send
    /// that completes synchronously, runs without an async state machine.
    /// </summary>
    internal ValueTask SendFrameAsync<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        if (Interlocked.Read(ref _queuedBytes) != 0)
        {
            // Pushed frames are waiting: queue behind them, so one producer's frames never overtake each other.
            SharedFrame shared = FrameSerializer.Serialize(frame);
            Enqueue(shared, enforceLimit: false);
            shared.Release();
            return default;
        }

        ValueTask enter = _sendLock.EnterAsync();
        if (!enter.IsCompletedSuccessfully)
        {
            return SendFrameAfterWaitAsync(enter, frame, cancellationToken);
        }

        ValueTask send;
        try
        {
            send = WriteAndSend(frame, cancellationToken);
        }
        catch
        {
            EndSend();
            throw;
        }

        if (send.IsCompletedSuccessfully)
        {
            EndSend();
            return default;
        }

        return AwaitSendAsync(send);
    }

    private async ValueTask SendFrameAfterWaitAsync<TFrame>(ValueTask enter, TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        await enter.ConfigureAwait(false);
        try
        {
            await WriteAndSend(frame, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndSend();
        }
    }

    private async ValueTask AwaitSendAsync(ValueTask send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        finally
        {
            EndSend();
        }
    }

    private ValueTask WriteAndSend<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        cancellationToken.ThrowIfCancellationRequested();
        Utf8JsonWriter writer = RentWriter();
        frame.Write(writer);
        writer.Flush();
        return _socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private void EndSend()
    {
        _buffer.Clear();
        _sendLock.Exit();
    }

    /// <summary>
    /// Queues a pushed frame (the queue takes its own reference). Over <see cref="GatewayOptions.MaxQueuedBytesPerConnection"/>
    /// the slow-consumer policy applies: the oldest frames are dropped, or the connection is closed with 1008.
    /// </summary>
    /// <returns>Whether the frame was queued.</returns>
    internal bool Enqueue(SharedFrame frame, bool enforceLimit = true)
    {
        if (!IsRegistered || Volatile.Read(ref _pushesStopped) != 0)
        {
            return false;
        }

        long queued = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (enforceLimit && queued > _options.MaxQueuedBytesPerConnection && queued != frame.Length)
        {
            if (_options.SlowConsumerPolicy == SlowConsumerPolicy.Close)
            {
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                _ = CloseSlowConsumerAsync();
                return false;
            }

            DropOldest(queued - _options.MaxQueuedBytesPerConnection);
        }

        frame.AddReference();
        ConcurrentQueue<SharedFrame> outbound = _outbound ?? Interlocked.CompareExchange(ref _outbound, new(), null) ?? _outbound;
        outbound.Enqueue(frame);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = DrainAsync(outbound);
        }

        return true;
    }

    private void DropOldest(long bytesToDrop)
    {
        ConcurrentQueue<SharedFrame>? outbound = _outbound;
        while (bytesToDrop > 0 && outbound is not null && outbound.TryDequeue(out SharedFrame? oldest))
        {
            bytesToDrop -= oldest.Length;
            Interlocked.Add(ref _queuedBytes, -oldest.Length);
            oldest.Release();
            FramesDropped++;
        }
    }

    /// <summary>Frames dropped by <see cref="SlowConsumerPolicy.DropOldest"/>.</summary>
    internal long FramesDropped { get; private set; }

    private async Task DrainAsync(ConcurrentQueue<SharedFrame> outbound)
    {
        // Let the producer finish its broadcast loop before this connection starts sending.
        await Task.Yield();
        while (true)
        {
            while (outbound.TryDequeue(out SharedFrame? frame))
            {
                try
                {
                    if (Volatile.Read(ref _pushesStopped) == 0)
                    {
                        await SendSharedAsync(frame).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
                {
                    // The connection is gone; its receive loop reports that. Release what is left.
                    Volatile.Write(ref _pushesStopped, 1);
                }
                finally
                {
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    frame.Release();
                }
            }

            Volatile.Write(ref _draining, 0);
            // A frame queued after the last TryDequeue but before the flag was cleared would otherwise wait forever.
            if (outbound.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async ValueTask SendSharedAsync(SharedFrame frame)
    {
        await _sendLock.EnterAsync().ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(frame.Memory, WebSocketMessageType.Text, endOfMessage: true, ConnectionAborted).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Exit();
        }
    }

    /// <summary>
    /// Closes a client that stopped reading with 1008. If its socket is so full that even the close frame cannot be
    /// sent within <see cref="GatewayOptions.CloseTimeout"/>, the connection is aborted.
    /// </summary>
    private async Task CloseSlowConsumerAsync()
    {
        if (Interlocked.Exchange(ref _pushesStopped, 1) != 0)
        {
            return;
        }

        SentCloseStatus = WebSocketCloseStatus.PolicyViolation;
        Task enter = _sendLock.EnterAsync().AsTask();
        if (await Task.WhenAny(enter, Task.Delay(_options.CloseTimeout)).ConfigureAwait(false) != enter)
        {
            _socket.Abort();
            await enter.ConfigureAwait(false);
            _sendLock.Exit();
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "Slow consumer", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
        {
            _socket.Abort();
            return;
        }
        finally
        {
            _sendLock.Exit();
        }

        // A client that does not read will not answer the close frame either: give it the close timeout, then abort.
        await Task.Delay(_options.CloseTimeout).ConfigureAwait(false);
        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }
    }

    /// <summary>Releases frames still queued when the connection has ended.</summary>
    internal void ReleaseQueuedFrames()
    {
        Volatile.Write(ref _pushesStopped, 1);
        DropOldest(long.MaxValue);
    }

    private Utf8JsonWriter RentWriter()
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            _writer.Reset(_buffer);
        }

        return _writer;
    }

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
