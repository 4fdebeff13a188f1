using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Internal.Protocol;
using Microsoft.Extensions.Logging;

namespace Gateway.Internal;

/// <summary>
/// The outbound side of one connection: the send lock that keeps frames of concurrent senders from interleaving,
/// direct sends, the bounded queue of pushed frames and its drain task, the slow-consumer policy, and the count
/// of frames that were accepted for the connection but never sent.
/// </summary>
/// <remarks>
/// A frame is <em>dropped</em> when it was addressed to this connection and not sent: evicted or refused by the
/// slow-consumer policy (<see cref="QueueFull"/>), still queued or refused once the connection ended
/// (<see cref="ConnectionClosed"/>), or its sender's token was cancelled while it waited (<see cref="Canceled"/>).
/// Every drop is counted here, on the <c>gateway.server.frames.dropped</c> counter and in a Debug log. A push to a
/// connection that has already ended is not queued and not counted: the push's recipient count leaves it out.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore never allocates a wait handle and the writer holds only pooled buffers, which are returned after each send.")]
internal sealed class Outbox
{
    public const string QueueFull = "queue_full";
    public const string ConnectionClosed = "connection_closed";
    public const string Canceled = "canceled";
    public const string SendTimeout = "send_timeout";

    private readonly WebSocket _socket;
    private readonly SendLock _sendLock = new();
    private readonly PooledBufferWriter _buffer = new();
    private readonly GatewayOptions _options;
    private readonly WireProtocol _protocol;
    private readonly GatewayMetrics _metrics;

    // The gateway path, the gateway.path tag of this connection's instruments.
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly string _connectionId;
    private readonly CancellationToken _connectionAborted;
    private Utf8JsonWriter? _writer;

    // Queued frames wait here; a drain task sends them and exits when the queue is empty, so idle clients hold no task.
    private ConcurrentQueue<QueuedFrame>? _queue;
    private long _queuedBytes;
    private long _framesDropped;
    private int _draining;
    private int _stopped;

    // While a send waits for the socket (the client does not read), when it started; 0 when none waits. The timer
    // exists from the first send that had to wait, and drops the connection once one has waited SendTimeout.
    private long _waitingSendSince;
    private Timer? _sendTimer;

    // Completed by the drain task when the queue is empty; see FlushAsync.
    private TaskCompletionSource? _flushed;

    public Outbox(
        WebSocket socket,
        GatewayOptions options,
        WireProtocol protocol,
        GatewayMetrics metrics,
        ILogger logger,
        string connectionId,
        string path,
        CancellationToken connectionAborted)
    {
        _path = path;
        _socket = socket;
        _options = options;
        _protocol = protocol;
        _metrics = metrics;
        _logger = logger;
        _connectionId = connectionId;
        _connectionAborted = connectionAborted;
    }

    /// <summary>Bytes of frames waiting in the queue.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Frames addressed to this connection that were never sent.</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>The close status the server sent, when the server closed the connection.</summary>
    public WebSocketCloseStatus? SentCloseStatus { get; set; }

    /// <summary>
    /// Sends a frame now, or queues it behind queued pushes so that one producer's frames never overtake each other.
    /// The common case, an empty queue, an uncontended lock and a send that completes synchronously, runs without
    /// an async state machine.
    /// </summary>
    /// <remarks>
    /// A queued frame obeys the queue's bound like a push (over it the slow-consumer policy applies) and is dropped
    /// unsent when <paramref name="cancellationToken"/> is cancelled before its turn.
    /// </remarks>
    public ValueTask SendAsync<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        if (Interlocked.Read(ref _queuedBytes) != 0)
        {
            return QueueBehindPushes(frame, cancellationToken);
        }

        ValueTask enter = _sendLock.EnterAsync();
        if (!enter.IsCompletedSuccessfully)
        {
            return SendAfterWaitAsync(enter, frame, cancellationToken);
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

    /// <summary>
    /// Queues a pushed frame (the queue takes its own reference). Over <see cref="GatewayOptions.MaxQueuedBytesPerConnection"/>
    /// the slow-consumer policy applies: the oldest frames are dropped, or the connection is closed with 1008.
    /// </summary>
    /// <returns>Whether the frame was queued.</returns>
    public bool Enqueue(SharedFrame frame)
    {
        // A connection that has ended is no recipient: the push's recipient count leaves it out.
        return Volatile.Read(ref _stopped) == 0 && TryEnqueue(frame, CancellationToken.None);
    }

    /// <summary>Starts the close handshake with <paramref name="status"/>.</summary>
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken)
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

    /// <summary>Completes when no frame is queued (sent or dropped), or when <paramref name="cancellationToken"/> fires.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        if (IsFlushed())
        {
            return Task.CompletedTask;
        }

        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource flushed = Interlocked.CompareExchange(ref _flushed, created, null) ?? created;
        // The drain may have finished between the check and the publication of the completion source.
        if (IsFlushed())
        {
            flushed.TrySetResult();
        }

        return flushed.Task.WaitAsync(cancellationToken);
    }

    private bool IsFlushed() => Volatile.Read(ref _draining) == 0 && (_queue is null || _queue.IsEmpty);

    /// <summary>Stops queueing when the connection has ended and drops the frames still queued.</summary>
    public void Stop()
    {
        Volatile.Write(ref _stopped, 1);
        _sendTimer?.Dispose();
        DropOldest(long.MaxValue, ConnectionClosed);
        Interlocked.Exchange(ref _flushed, null)?.TrySetResult();
    }

    private ValueTask QueueBehindPushes<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        SharedFrame shared = FrameSerializer.Serialize(frame, _protocol);
        try
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                RecordDropped(1, ConnectionClosed);
            }
            else
            {
                TryEnqueue(shared, cancellationToken);
            }
        }
        finally
        {
            shared.Release();
        }

        return default;
    }

    private bool TryEnqueue(SharedFrame frame, CancellationToken cancellationToken)
    {
        long queued = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (queued > _options.MaxQueuedBytesPerConnection && queued != frame.Length)
        {
            if (_options.SlowConsumerPolicy == SlowConsumerPolicy.Close)
            {
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                RecordDropped(1, QueueFull);
                _ = CloseSlowConsumerAsync();
                return false;
            }

            DropOldest(queued - _options.MaxQueuedBytesPerConnection, QueueFull);
        }

        frame.AddReference();
        ConcurrentQueue<QueuedFrame> queue = _queue ?? Interlocked.CompareExchange(ref _queue, new(), null) ?? _queue;
        queue.Enqueue(new QueuedFrame(frame, cancellationToken));
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = DrainAsync(queue);
        }

        return true;
    }

    private void DropOldest(long bytesToDrop, string reason)
    {
        ConcurrentQueue<QueuedFrame>? queue = _queue;
        long dropped = 0;
        while (bytesToDrop > 0 && queue is not null && queue.TryDequeue(out QueuedFrame oldest))
        {
            bytesToDrop -= oldest.Frame.Length;
            Interlocked.Add(ref _queuedBytes, -oldest.Frame.Length);
            oldest.Frame.Release();
            dropped++;
        }

        RecordDropped(dropped, reason);
    }

    private void RecordDropped(long count, string reason)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _framesDropped, count);
        _metrics.FramesDropped(_path, count, reason);
        Log.FramesDropped(_logger, _connectionId, count, reason);
    }

    private async Task DrainAsync(ConcurrentQueue<QueuedFrame> queue)
    {
        // Let the producer finish its broadcast loop before this connection starts sending.
        await Task.Yield();
        while (true)
        {
            // Frames of an ended connection are counted once per batch; a cancelled frame at once, before later frames go out.
            long closed = 0;
            while (queue.TryDequeue(out QueuedFrame entry))
            {
                try
                {
                    if (Volatile.Read(ref _stopped) != 0)
                    {
                        closed++;
                    }
                    else if (entry.CancellationToken.IsCancellationRequested)
                    {
                        RecordDropped(1, Canceled);
                    }
                    else
                    {
                        await SendSharedAsync(entry.Frame).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
                {
                    // The connection is gone; its receive loop reports that. What is left is dropped.
                    Volatile.Write(ref _stopped, 1);
                    closed++;
                }
                finally
                {
                    Interlocked.Add(ref _queuedBytes, -entry.Frame.Length);
                    entry.Frame.Release();
                }
            }

            RecordDropped(closed, ConnectionClosed);
            Volatile.Write(ref _draining, 0);
            // A frame queued after the last TryDequeue but before the flag was cleared would otherwise wait forever.
            if (queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                if (queue.IsEmpty)
                {
                    Interlocked.Exchange(ref _flushed, null)?.TrySetResult();
                }

                return;
            }
        }
    }

    private async ValueTask SendSharedAsync(SharedFrame frame)
    {
        await _sendLock.EnterAsync().ConfigureAwait(false);
        try
        {
            await WatchAsync(_socket.SendAsync(frame.Memory, WebSocketMessageType.Text, endOfMessage: true, _connectionAborted))
                .ConfigureAwait(false);
            _metrics.MessageSent(_path, frame.Memory.Length);
        }
        finally
        {
            _sendLock.Exit();
        }
    }

    private async ValueTask SendAfterWaitAsync<TFrame>(ValueTask enter, TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        await enter.ConfigureAwait(false);
        try
        {
            await WatchAsync(WriteAndSend(frame, cancellationToken)).ConfigureAwait(false);
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
            await WatchAsync(send).ConfigureAwait(false);
        }
        finally
        {
            EndSend();
        }
    }

    /// <summary>
    /// Awaits a send under <see cref="GatewayOptions.SendTimeout"/>. A send that completed at once (the common case)
    /// costs a check; one that waits for the socket arms the connection's timer.
    /// </summary>
    private ValueTask WatchAsync(ValueTask send)
    {
        if (send.IsCompleted || _options.SendTimeout == Timeout.InfiniteTimeSpan)
        {
            return send;
        }

        return WatchWaitingSendAsync(send);
    }

    private async ValueTask WatchWaitingSendAsync(ValueTask send)
    {
        Volatile.Write(ref _waitingSendSince, Math.Max(1, Environment.TickCount64));
        try
        {
            (_sendTimer ??= CreateSendTimer()).Change(_options.SendTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection has ended (Stop): the send fails by itself.
        }

        try
        {
            await send.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _waitingSendSince, 0);
        }
    }

    private Timer CreateSendTimer()
    {
        // No ExecutionContext flows into the callback: it belongs to the connection, not to the first slow sender.
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(static state => ((Outbox)state!).OnSendTimer(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>
    /// Drops a client that has not taken a frame for <see cref="GatewayOptions.SendTimeout"/>: it does not read, so
    /// no close frame can reach it either; the connection is aborted and its receive loop ends it.
    /// </summary>
    private void OnSendTimer()
    {
        long since = Volatile.Read(ref _waitingSendSince);
        if (since == 0 || Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        long waited = Environment.TickCount64 - since;
        long timeout = (long)_options.SendTimeout.TotalMilliseconds;
        if (waited < timeout)
        {
            // Another send started waiting after the one the timer was armed for.
            _sendTimer?.Change(timeout - waited, Timeout.Infinite);
            return;
        }

        SentCloseStatus = WebSocketCloseStatus.PolicyViolation;
        RecordDropped(1, SendTimeout);
        _socket.Abort();
    }

    private ValueTask WriteAndSend<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        cancellationToken.ThrowIfCancellationRequested();
        Utf8JsonWriter writer = RentWriter();
        frame.Write(writer, _protocol);
        writer.Flush();
        // Counted when written: a send that then fails ends the connection, which its close status reports.
        _metrics.MessageSent(_path, _buffer.WrittenMemory.Length);
        return _socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private void EndSend()
    {
        _buffer.Clear();
        _sendLock.Exit();
    }

    private Utf8JsonWriter RentWriter()
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer, WireProtocol.WriterOptions);
        }
        else
        {
            _writer.Reset(_buffer);
        }

        return _writer;
    }

    /// <summary>
    /// Closes a client that stopped reading with 1008. If its socket is so full that even the close frame cannot be
    /// sent within <see cref="GatewayOptions.CloseTimeout"/>, the connection is aborted.
    /// </summary>
    private async Task CloseSlowConsumerAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
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

    /// <summary>A queued frame and the token of its sender (none for pushes).</summary>
    private readonly record struct QueuedFrame(SharedFrame Frame, CancellationToken CancellationToken);
}
