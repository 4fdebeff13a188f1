using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using Gateway.Internal.Protocol;

namespace Gateway.Internal.Resumption;

/// <summary>
/// A NestJS ws connection whose client asked to be able to resume it, seen by <see cref="GatewayConnection"/> as one
/// WebSocket for the connection's whole life while its transports come and go. Every frame sent is numbered and kept
/// in a <see cref="ReplayBuffer"/> until the client acknowledges it; when the transport drops, the receive waits up to
/// <see cref="GatewayResumptionOptions.Window"/> for the client to come back on a new one (frames sent meanwhile are
/// only kept), which is then sent what the client missed and carries on.
/// </summary>
/// <remarks>
/// The wire (docs/protocol-extensions.md): the first frame is <c>gateway:session</c> with the connection's id and a
/// secret token; the client acknowledges with <c>gateway:ack</c>, and comes back with the token and the number of the
/// last frame it received. A close frame from either side, or an abort, ends the connection for good.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "Dispose releases the timer, the gate and the token source.")]
internal sealed class ResumableSocket : WebSocket
{
    private readonly ResumableSessions _sessions;
    private readonly WireProtocol _protocol;
    private readonly ReplayBuffer _buffer;

    // Orders sends, the announcement and a resumption's replay: the replayed frames go out before any newer one.
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _aborted = new();

    // What the client was told when it asked to resume and could not (reported in the first frame), or null.
    private readonly string? _lost;
    private WebSocket? _inner;

    // The request that brought the current transport waits on this (none for the first: it runs the connection).
    private TaskCompletionSource? _transportDone;

    // The receive that waits for the client to come back: true when it did, false when the connection is over.
    private TaskCompletionSource<bool>? _comeback;
    private Timer? _window;

    // A resumption that dropped a transport still attached waits on this until the receive loop has let it go.
    private TaskCompletionSource? _parked;
    private WebSocketCloseStatus? _closeStatus;
    private bool _announced;
    private bool _ended;
    private bool _midMessage;

    // A client is being answered and sent what it missed: the window does not end the connection meanwhile.
    private bool _resuming;

    // Messages received from the client, all transports together: told to it when it resumes, so that it sends again
    // what the lost transport did not deliver. Written by the receive loop only, read by a resumption once that loop waits.
    private long _received;

    // The highest frame number the client acknowledged; the buffer lets go up to it at its next use.
    private long _acknowledged;

    public ResumableSocket(WebSocket transport, ResumableSessions sessions, WireProtocol protocol, string? lost)
    {
        _inner = transport;
        _sessions = sessions;
        _protocol = protocol;
        _lost = lost;
        _buffer = new ReplayBuffer(sessions.Options.MaxBufferedBytes);
    }

    /// <summary>The secret the client comes back with.</summary>
    public string Token { get; } = ResumableSessions.NewToken();

    /// <summary>The connection's id, told to the client in the announcement.</summary>
    public string ConnectionId { get; set; } = "";

    /// <summary>Signalled when the connection is over for good (not when a transport drops): the client's <c>ConnectionAborted</c>.</summary>
    public CancellationToken Aborted => _aborted.Token;

    public override WebSocketCloseStatus? CloseStatus => Volatile.Read(ref _inner)?.CloseStatus ?? _closeStatus;

    public override string? CloseStatusDescription => Volatile.Read(ref _inner)?.CloseStatusDescription;

    public override WebSocketState State
    {
        get
        {
            lock (_lock)
            {
                // Away, the connection is still open: pushes are kept for the client, and a close ends it.
                return _inner?.State ?? (_ended ? WebSocketState.Closed : WebSocketState.Open);
            }
        }
    }

    public override string? SubProtocol => null;

    /// <summary>Sends the announcement now if nothing has been sent yet (the connection hooks have let the client in).</summary>
    public async ValueTask AnnounceAsync(CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_announced && Volatile.Read(ref _inner) is { } inner)
            {
                await AnnounceAsync(inner, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// A <c>gateway:ack</c> from the client: the frames up to its number are let go. Returns false when the message
    /// is not one (it is then an unknown event like any other).
    /// </summary>
    public bool TryAcknowledge(ReadOnlySpan<byte> message)
    {
        if (!ResumptionWire.TryReadAck(message, _protocol, out long sequence))
        {
            return false;
        }

        // The buffer is used under the send gate; a send that holds it (maybe waiting for a slow client) lets the
        // frames go before its own, so the receive loop never waits for it.
        long acked;
        do
        {
            acked = Interlocked.Read(ref _acknowledged);
        }
        while (sequence > acked && Interlocked.CompareExchange(ref _acknowledged, sequence, acked) != acked);

        if (_sendGate.Wait(0))
        {
            try
            {
                _buffer.Acknowledge(Interlocked.Read(ref _acknowledged));
            }
            finally
            {
                _sendGate.Release();
            }
        }

        return true;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            WebSocket? inner = Volatile.Read(ref _inner);
            if (inner is null)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection is over.");
            }

            try
            {
                ValueWebSocketReceiveResult result = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // The client said goodbye: there is nothing to resume.
                    EndSession(outcome: null);
                }
                else
                {
                    _midMessage = !result.EndOfMessage && (result.Count > 0 || _midMessage);
                    if (result.EndOfMessage)
                    {
                        // Every message ends with one such result (an empty one, at the zero-byte wait).
                        _received++;
                    }
                }

                return result;
            }
            catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (!await WaitForComebackAsync(inner).ConfigureAwait(false))
                {
                    _aborted.Cancel();
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// The transport dropped: waits for the client to come back on a new one. False when it will not (the window
    /// passed, the connection was closed meanwhile, or it cannot be resumed at all).
    /// </summary>
    private async Task<bool> WaitForComebackAsync(WebSocket lost)
    {
        TaskCompletionSource<bool>? comeback;
        lock (_lock)
        {
            if (_inner != lost)
            {
                // Replaced already (a resumption took over).
                return true;
            }

            _inner = null;
            _transportDone?.TrySetResult();
            _transportDone = null;
            if (_ended || !_announced || _midMessage)
            {
                // A message cut in half cannot be completed by the next transport: that connection is over.
                comeback = null;
            }
            else
            {
                comeback = _comeback = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                ArmWindow();
            }
        }

        if (comeback is null)
        {
            EndSession(outcome: null);
        }

        TaskCompletionSource? parked;
        lock (_lock)
        {
            parked = _parked;
            _parked = null;
        }

        parked?.TrySetResult();
        if (comeback is null)
        {
            return false;
        }

        Log.ConnectionAwaitsResumption(_sessions.Logger, ConnectionId, _sessions.Options.Window);
        return await comeback.Task.ConfigureAwait(false);
    }

    /// <summary>Starts the window the client has to come back in (under the lock).</summary>
    private void ArmWindow()
    {
        using (ExecutionContext.SuppressFlow())
        {
            _window = new Timer(
                static s => ((ResumableSocket)s!).EndSession(ResumptionOutcome.Expired, onlyIfAway: true), this, _sessions.Options.Window, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// A client came back with its token on <paramref name="transport"/>, having received every frame up to
    /// <paramref name="received"/>: it is told so, sent the frames after that, and the connection carries on over it.
    /// </summary>
    /// <returns>How it went, and while resumed, a task that completes when the connection is done with the transport.</returns>
    public async Task<(string Outcome, Task? TransportDone)> ResumeAsync(WebSocket transport, long received, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Task? parked = null;
            WebSocket? stale;
            lock (_lock)
            {
                // Resumptions take the send gate, so none is under way beside this one.
                if (_ended)
                {
                    return (ResumptionOutcome.Unknown, null);
                }

                // The window stops here: a client is back (if this fails, the window starts again).
                _resuming = true;
                _window?.Dispose();
                _window = null;
                stale = _inner;
                if (stale is not null)
                {
                    _parked ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    parked = _parked.Task;
                }
            }

            if (stale is not null)
            {
                // A transport the server had not noticed was dead: dropped, and its receive loop let park, so that
                // nothing more arrives on it once the client is told how many messages got through.
                stale.Abort();
                await parked!.WaitAsync(cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    if (_ended)
                    {
                        return (ResumptionOutcome.Unknown, null);
                    }
                }
            }

            if (!_buffer.CanResumeAfter(received))
            {
                // What it missed is gone: this connection can never be resumed, so it ends now, and its hooks run.
                EndSession(ResumptionOutcome.Overflow);
                return (ResumptionOutcome.Overflow, null);
            }

            _buffer.Acknowledge(received);
            int replayed = (int)(_buffer.Last - received);
            try
            {
                await transport.SendAsync(ResumptionWire.Announcement(_protocol, ConnectionId, Token, resumed: true, replayed, Volatile.Read(ref _received), lost: null), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                foreach (ReadOnlyMemory<byte> frame in _buffer.After(received))
                {
                    await transport.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
            {
                // Gone again while being sent what it missed: the connection waits for the next attempt (finally).
                return (ResumptionOutcome.Resumed, Task.CompletedTask);
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskCompletionSource<bool>? comeback;
            lock (_lock)
            {
                _resuming = false;
                if (_ended)
                {
                    // Closed for good while the client was being answered (a shutdown): it comes back to "unknown".
                    transport.Abort();
                    return (ResumptionOutcome.Resumed, Task.CompletedTask);
                }

                _inner = transport;
                _transportDone?.TrySetResult();
                _transportDone = done;
                comeback = _comeback;
                _comeback = null;
                _window?.Dispose();
                _window = null;
                _midMessage = false;
            }

            comeback?.TrySetResult(true);
            Log.ConnectionResumed(_sessions.Logger, ConnectionId, replayed);
            return (ResumptionOutcome.Resumed, done.Task);
        }
        finally
        {
            lock (_lock)
            {
                // Any way out but a resumption (the new transport went too, its request was aborted): the connection
                // is still away, and its window starts again.
                if (_resuming)
                {
                    _resuming = false;
                    if (!_ended && _inner is null)
                    {
                        _window?.Dispose();
                        ArmWindow();
                    }
                }
            }

            _sendGate.Release();
        }
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendCoreAsync(buffer, messageType, endOfMessage, cancellationToken);

    private async ValueTask SendCoreAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            WebSocket? inner;
            bool kept;
            lock (_lock)
            {
                inner = _inner;
                kept = !_ended;
            }

            if (!kept)
            {
                await (inner ?? throw new WebSocketException(WebSocketError.InvalidState, "The connection is over."))
                    .SendAsync(buffer, messageType, endOfMessage, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!_announced && inner is not null)
            {
                await AnnounceAsync(inner, cancellationToken).ConfigureAwait(false);
            }

            // The outbox sends whole messages, so one send is one numbered frame.
            _buffer.Acknowledge(Interlocked.Read(ref _acknowledged));
            _buffer.Add(buffer.Span);
            if (inner is null)
            {
                return;
            }

            try
            {
                await inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The frame is kept for the client; the receive side notices the lost transport and waits for it.
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async ValueTask AnnounceAsync(WebSocket inner, CancellationToken cancellationToken)
    {
        _announced = true;
        _sessions.Register(Token, this);
        await inner.SendAsync(ResumptionWire.Announcement(_protocol, ConnectionId, Token, resumed: false, replayed: 0, received: 0, _lost), WebSocketMessageType.Text, true, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The connection can no longer be resumed; <paramref name="outcome"/> is what a client that comes back is told.</summary>
    private void EndSession(string? outcome, bool onlyIfAway = false)
    {
        TaskCompletionSource<bool>? comeback;
        lock (_lock)
        {
            // The window's end does nothing to a connection its client is already back on (or coming back to).
            if (_ended || (onlyIfAway && (_inner is not null || _resuming)))
            {
                return;
            }

            _ended = true;
            _window?.Dispose();
            _window = null;
            comeback = _comeback;
            _comeback = null;
        }

        if (_announced)
        {
            _sessions.Ended(Token, outcome);
        }

        comeback?.TrySetResult(false);
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        // The server closes: for good.
        EndSession(outcome: null);
        WebSocket? inner = Volatile.Read(ref _inner);
        if (inner is null)
        {
            _closeStatus = closeStatus;
            return Task.CompletedTask;
        }

        return inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    /// <summary>Drops the connection (a send or message timeout, a slow consumer): for good.</summary>
    public override void Abort()
    {
        EndSession(outcome: null);
        Volatile.Read(ref _inner)?.Abort();
    }

    /// <summary>The connection is over: the request of the current transport may end, and the kept frames go back to the pool.</summary>
    public override void Dispose()
    {
        EndSession(outcome: null);
        lock (_lock)
        {
            _transportDone?.TrySetResult();
            _transportDone = null;
        }

        _aborted.Cancel();
        // A send still holding the gate (it cannot be long: the connection is over) keeps its frames for the GC.
        if (_sendGate.Wait(0))
        {
            _buffer.Clear();
        }
    }
}
