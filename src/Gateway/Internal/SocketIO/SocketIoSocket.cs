using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

using Gateway.Internal.Protocol;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// One Socket.IO connection to a namespace, seen by <see cref="GatewayConnection"/> as a WebSocket: each EVENT the
/// client sends to the namespace is one message (its ack id, then <c>["event", data]</c>), and each frame the
/// connection sends is a whole Engine.IO packet that goes out on the session's transport. The client's DISCONNECT is
/// a close; the server's close is a DISCONNECT, or a CONNECT_ERROR while the connection is not yet accepted.
/// </summary>
/// <remarks>
/// So every gateway feature (hooks, guards, pipeline, limits, rooms, pushes, the outbox and its slow-consumer policy)
/// serves Socket.IO clients with the code that serves NestJS ws clients.
/// </remarks>
internal sealed class SocketIoSocket : WebSocket, IAcceptingSocket
{
    // The Engine.IO session under this connection: another one after a recovery.
    private EngineIoSession _session;

    // Socket.IO's connection state recovery (GatewayOptions.Resumption); null when it is off.
    private readonly SocketIoRecovery? _recovery;
    private string _connectionId = "";
    private readonly SocketIoProtocol _protocol;
    private readonly Channel<Inbound> _inbound = Channel.CreateBounded<Inbound>(
        new BoundedChannelOptions(16) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _aborted = new();
    // The server's requests waiting for the client's ack; created by the first (most connections never make one).
    private Dictionary<long, TaskCompletionSource<byte[]>>? _acks;
    private readonly Lock _ackLock = new();
    private long _nextAck;
    private Inbound _current;
    private int _offset;
    private WebSocketState _state = WebSocketState.Open;
    private WebSocketCloseStatus? _closeStatus;
    private bool _accepted;
    private bool _refused;
    private List<byte[]>? _early;

    public SocketIoSocket(EngineIoSession session, SocketIoProtocol protocol, JsonElement auth, SocketIoRecovery? recovery = null)
    {
        _session = session;
        _protocol = protocol;
        Auth = auth;
        _recovery = recovery;
    }

    /// <summary>The Socket.IO side of the session this connection is on (another one after a recovery).</summary>
    public SocketIoConnection? Owner { get; set; }

    /// <summary>The <c>auth</c> payload of the client's CONNECT; undefined when it sent none.</summary>
    public JsonElement Auth { get; }

    public string Namespace => _protocol.Namespace;

    /// <summary>How long a server request waits for the client's ack when its caller gives no timeout.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public EngineIoSession Session => _session;

    /// <summary>Signalled when this connection ends (the client left the namespace, the session closed, or an abort).</summary>
    public CancellationToken Aborted => _aborted.Token;

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>The CONNECT answer, sent once the connection hooks and guards have let the client in.</summary>
    public byte[] AcceptPacket(string connectionId)
    {
        _connectionId = connectionId;
        return _recovery is { } recovery ? _protocol.ConnectPacket(connectionId, recovery.Pid) : _protocol.ConnectPacket(connectionId);
    }

    /// <summary>Hands an EVENT (normalized, in a rented array this socket returns) to the connection's receive loop.</summary>
    public async ValueTask DeliverAsync(byte[] array, int length)
    {
        try
        {
            await _inbound.Writer.WriteAsync(new Inbound(array, length), _aborted.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    /// <summary>The client left the namespace (DISCONNECT): the receive loop reads a close.</summary>
    public void ClientDisconnected()
    {
        _closeStatus ??= WebSocketCloseStatus.NormalClosure;
        _inbound.Writer.TryWrite(default);
        _inbound.Writer.TryComplete();
    }

    /// <summary>
    /// The session ended under this connection: the receive loop fails as when a socket drops; or, recoverable, the
    /// connection waits for its client to come back (<see cref="SocketIoRecovery"/>).
    /// </summary>
    public void SessionClosed(string reason)
    {
        if (_recovery is { } recovery && _accepted && _state == WebSocketState.Open && SocketIoRecovery.IsRecoverable(reason))
        {
            // Its acks cannot come on another session (socket.io keeps no packet that asks one). A send under way
            // fails on the closed session and keeps its event; the next ones see the connection away.
            FailAcks();
            recovery.Leave(this, static socket => socket.Ended());
            return;
        }

        Ended();
    }

    private void Ended()
    {
        _inbound.Writer.TryComplete(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The Socket.IO session has closed."));
        _aborted.Cancel();
        FailAcks();
    }

    /// <summary>
    /// A client came back on <paramref name="session"/> with this connection's pid, having received the events up to
    /// <paramref name="offset"/>: it is answered with the same sid and pid, sent the events after that offset, and the
    /// connection carries on over the new session. False when it cannot be (the connection then ends now).
    /// </summary>
    public async ValueTask<bool> TryRecoverAsync(EngineIoSession session, SocketIoConnection owner, long offset)
    {
        SocketIoRecovery recovery = _recovery!;
        await recovery.Gate.WaitAsync(session.Closed).ConfigureAwait(false);
        try
        {
            if (!recovery.Away || recovery.Incomplete || !recovery.Buffer.CanResumeAfter(offset) || _state != WebSocketState.Open)
            {
                recovery.End(this);
                Ended();
                return false;
            }

            recovery.Buffer.Acknowledge(offset);
            recovery.Return();
            _session = session;
            Owner = owner;
            await session.SendAsync(_protocol.ConnectPacket(_connectionId, recovery.Pid), session.Closed).ConfigureAwait(false);
            foreach (ReadOnlyMemory<byte> packet in recovery.Buffer.After(offset))
            {
                await session.SendAsync(packet, session.Closed).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            recovery.Gate.Release();
        }
    }

    /// <summary>Sends an EVENT that asks for an acknowledgement, and returns the client's ACK arguments (a JSON array).</summary>
    public async Task<byte[]> RequestAckAsync<TFrame>(Func<long, TFrame> frame, GatewayClient client, TimeSpan timeout, CancellationToken cancellationToken)
        where TFrame : Protocol.IOutboundFrame
    {
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        long id;
        lock (_ackLock)
        {
            id = _nextAck++;
            (_acks ??= [])[id] = answer;
        }

        try
        {
            await client.SendFrameAsync(frame(id), cancellationToken).ConfigureAwait(false);
            return await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_ackLock)
            {
                _acks?.Remove(id);
            }
        }
    }

    /// <summary>The client's ACK of a server EVENT; an unknown id is ignored, as socket.io does.</summary>
    public void Acknowledged(long id, byte[] arguments)
    {
        TaskCompletionSource<byte[]>? answer = null;
        lock (_ackLock)
        {
            _acks?.Remove(id, out answer);
        }

        answer?.TrySetResult(arguments);
    }

    private void FailAcks()
    {
        lock (_ackLock)
        {
            if (_acks is null)
            {
                return;
            }

            foreach (TaskCompletionSource<byte[]> answer in _acks.Values)
            {
                answer.TrySetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection ended before the client acknowledged."));
            }

            _acks.Clear();
        }
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_state is WebSocketState.CloseSent)
        {
            // Our close (DISCONNECT, CONNECT_ERROR) needs no answer from the client.
            _state = WebSocketState.Closed;
            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
        }

        if (_current.Array is null)
        {
            if (!_inbound.Reader.TryRead(out _current))
            {
                // The connection's token is this socket's own Aborted token: waiting on it is enough.
                try
                {
                    if (!await _inbound.Reader.WaitToReadAsync(_aborted.Token).ConfigureAwait(false) || !_inbound.Reader.TryRead(out _current))
                    {
                        return Closing();
                    }
                }
                catch (OperationCanceledException)
                {
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The Socket.IO connection was aborted.");
                }
                catch (WebSocketException) when (_state == WebSocketState.CloseSent)
                {
                    _state = WebSocketState.Closed;
                    return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
                }
            }

            if (_current.Array is null)
            {
                return Closing();
            }

            _offset = 0;
        }

        int count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Array.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        bool end = _offset == _current.Length;
        if (end && count > 0 || _current.Length == 0)
        {
            ArrayPool<byte>.Shared.Return(_current.Array);
            _current = default;
            end = true;
        }
        else
        {
            end = false;
        }

        return new ValueWebSocketReceiveResult(count, WebSocketMessageType.Text, end);
    }

    private ValueWebSocketReceiveResult Closing()
    {
        _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
        _closeStatus ??= WebSocketCloseStatus.NormalClosure;
        return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        // A frame the protocol leaves empty (a plain result nobody asked an ack for) is not sent, as NestJS sends nothing.
        if (buffer.IsEmpty)
        {
            return default;
        }

        if (_state is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            throw new WebSocketException(WebSocketError.InvalidState, "The Socket.IO connection has closed.");
        }

        if (!_accepted)
        {
            return SendBeforeAcceptedAsync(buffer, cancellationToken);
        }

        return _recovery is null ? _session.SendAsync(buffer, cancellationToken) : SendRecoverableAsync(_recovery, buffer, cancellationToken);
    }

    /// <summary>An EVENT is numbered and kept; while the client is away, it is only kept.</summary>
    private async ValueTask SendRecoverableAsync(SocketIoRecovery recovery, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await recovery.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        PooledBufferWriter? numbered = null;
        try
        {
            ReadOnlyMemory<byte> packet = buffer;
            if (SocketIoRecovery.IsKept(buffer.Span))
            {
                if (!recovery.Away)
                {
                    recovery.Buffer.DropSentBefore(Environment.TickCount64 - recovery.HeartbeatTicks);
                }

                numbered = new PooledBufferWriter();
                SocketIoRecovery.Number(buffer.Span, recovery.Buffer.Last + 1, numbered);
                packet = numbered.WrittenMemory;
                recovery.Buffer.Add(packet.Span);
            }
            else if (recovery.Away)
            {
                recovery.Incomplete = true;
            }

            if (recovery.Away)
            {
                return;
            }

            try
            {
                await _session.SendAsync(packet, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (numbered is not null && ConnectionErrors.IsConnectionGone(ex) && !cancellationToken.IsCancellationRequested)
            {
                // Kept: if the session dropped in a way socket.io recovers from, the client gets it when it comes back.
            }
        }
        finally
        {
            numbered?.Clear();
            recovery.Gate.Release();
        }
    }

    /// <summary>
    /// Before the CONNECT answer, frames (a connection hook's events, pushes) wait, so the client gets them after it,
    /// as socket.io sends what a <c>connection</c> handler emits; a refusal drops them. The connection's send lock
    /// orders these calls.
    /// </summary>
    private async ValueTask SendBeforeAcceptedAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (SocketIoProtocol.IsConnectError(buffer.Span))
        {
            _refused = true;
            _early = null;
            await _session.SendAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!buffer.Span.StartsWith("40"u8))
        {
            (_early ??= []).Add(buffer.ToArray());
            return;
        }

        _accepted = true;
        await _session.SendAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (_early is { } early)
        {
            _early = null;
            foreach (byte[] frame in early)
            {
                if (_recovery is null)
                {
                    await _session.SendAsync(frame, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await SendRecoverableAsync(_recovery, frame, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        if (_state == WebSocketState.Open)
        {
            _state = WebSocketState.CloseSent;
            _closeStatus = closeStatus;
            _inbound.Writer.TryComplete();
            if (closeStatus == WebSocketCloseStatus.EndpointUnavailable)
            {
                // The server is going away: the transport closes under the client, which reconnects (as it does when
                // the npm server closes); a DISCONNECT would tell it the server sent it away for good.
                _session.Close("server shutting down", byClient: false);
            }
            else if (!_session.IsClosed)
            {
                byte[] packet = !_accepted
                    ? (_refused ? [] : _protocol.ConnectErrorPacket(statusDescription ?? "Connection refused"))
                    : _protocol.DisconnectPacket();
                if (packet.Length > 0)
                {
                    try
                    {
                        await _session.SendAsync(packet, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
                    {
                    }
                }
            }
        }
        else if (_state == WebSocketState.CloseReceived)
        {
            _state = WebSocketState.Closed;
        }
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    /// <summary>Drops the connection (a send timeout, a message timeout): the whole session goes, as a dropped socket would.</summary>
    public override void Abort()
    {
        if (_state is WebSocketState.Closed or WebSocketState.Aborted)
        {
            return;
        }

        _state = WebSocketState.Aborted;
        _inbound.Writer.TryComplete(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The Socket.IO connection was aborted."));
        _aborted.Cancel();
        FailAcks();
        _session.Close("forced close", byClient: false);
    }

    public override void Dispose()
    {
        if (_state != WebSocketState.Aborted)
        {
            _state = WebSocketState.Closed;
        }

        _inbound.Writer.TryComplete();
        while (_inbound.Reader.TryRead(out Inbound left))
        {
            if (left.Array is not null)
            {
                ArrayPool<byte>.Shared.Return(left.Array);
            }
        }

        if (_current.Array is not null)
        {
            ArrayPool<byte>.Shared.Return(_current.Array);
            _current = default;
        }

        _aborted.Cancel();
        FailAcks();
        if (_recovery is { } recovery)
        {
            recovery.End(this);
            // The kept events go back to the pool, unless a send still holds them (then the GC takes them).
            if (recovery.Gate.Wait(0))
            {
                recovery.Buffer.Clear();
            }
        }
    }

    private readonly record struct Inbound(byte[]? Array, int Length);
}

/// <summary>A transport that tells its client once the connection hooks and guards have let it in (Socket.IO's CONNECT answer).</summary>
internal interface IAcceptingSocket
{
    /// <summary>The frame that tells the client it is in, sent through the connection's outbox like any frame.</summary>
    byte[] AcceptPacket(string connectionId);
}
