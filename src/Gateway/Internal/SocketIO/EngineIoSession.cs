using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// One Engine.IO v4 session: its transport (long-polling, WebSocket, or polling being upgraded), the heartbeat (the
/// server pings, the client must pong within the timeout), and the packets waiting for the next poll.
/// </summary>
/// <remarks>
/// Every send takes <see cref="_send"/>, so a packet and its binary attachments are never split by another send, and
/// the switch from polling to WebSocket happens between two sends. A packet handed to <see cref="SendAsync"/> may carry
/// attachments after a NUL byte (JSON text never holds one): each one is a 4-byte big-endian length and its bytes.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Close disposes the heartbeat; the semaphore never allocates a wait handle; the token source lives as long as the session's connections may read it.")]
internal sealed partial class EngineIoSession
{
    private readonly EngineIoServer _server;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _pollLock = new();
    private readonly List<Pending> _pending = [];
    private readonly CancellationTokenSource _closed = new();
    private readonly Timer _heartbeat;
    private long _pendingBytes;
    private WebSocket? _webSocket;
    private TaskCompletionSource? _pollSignal;
    private TaskCompletionSource? _drained;
    private bool _pollActive;
    private bool _postActive;
    private int _awaitingPong;
    private long _pongDeadline;
    private int _state; // 0 open, 1 closed
    private string? _closeReply;
    private string? _closeReason;

    // WebSockets accepted to upgrade this session whose probe has not ended yet, and the task polls wait on meanwhile.
    private int _upgradeCandidates;
    private TaskCompletionSource? _upgradeSettled;
    private const string ParseError = "parse error";

    public EngineIoSession(EngineIoServer server, HttpContext handshake, bool webSocket)
    {
        _server = server;
        Id = NewId();
        Handshake = new HandshakeSnapshot(handshake);
        IsWebSocket = webSocket;
        StartCycle();
        using (ExecutionContext.SuppressFlow())
        {
            _heartbeat = new Timer(static s => ((EngineIoSession)s!).OnHeartbeat(), this, server.Options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    public string Id { get; }

    public HandshakeSnapshot Handshake { get; }

    public EngineIoServer Server => _server;

    public IEngineIoHandler? Handler { get; set; }

    /// <summary>Whether the session's transport is a WebSocket (from the start, or after an upgrade).</summary>
    public bool IsWebSocket { get; private set; }

    /// <summary>Whether a WebSocket is being probed to replace long-polling.</summary>
    public bool IsUpgrading { get; private set; }

    /// <summary>Signalled when the session closes.</summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => Volatile.Read(ref _state) != 0;

    /// <summary>The open packet: <c>0{"sid":...,"upgrades":[...],"pingInterval":...,"pingTimeout":...,"maxPayload":...}</c>.</summary>
    public string OpenPacket(bool upgradable) =>
        $"0{{\"sid\":\"{Id}\",\"upgrades\":[{(upgradable ? "\"websocket\"" : "")}],\"pingInterval\":{(long)_server.Options.PingInterval.TotalMilliseconds},\"pingTimeout\":{(long)_server.Options.PingTimeout.TotalMilliseconds},\"maxPayload\":{_server.Options.MaxHttpBufferSize}}}";

    /// <summary>Sends an Engine.IO packet (type digit first), with the attachments a NUL byte may introduce.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsClosed)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The Socket.IO session has closed.");
            }

            if (IsWebSocket && _webSocket is { } socket)
            {
                await SendOverWebSocketAsync(socket, packet, cancellationToken).ConfigureAwait(false);
                return;
            }

            Task? drained = Append(packet);
            if (drained is not null)
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>
    /// One inbound packet of any transport. Returns false when the session has ended (the client closed it, or the
    /// packet was malformed).
    /// </summary>
    public async ValueTask<bool> ReceivePacketAsync(ReadOnlyMemory<byte> packet, bool binary)
    {
        if (IsClosed)
        {
            return false;
        }

        try
        {
            if (binary)
            {
                await Handler!.OnMessageAsync(this, packet, binary: true).ConfigureAwait(false);
                return !IsClosed;
            }

            if (packet.IsEmpty)
            {
                throw new EngineIoProtocolException("An empty packet.");
            }

            switch (packet.Span[0])
            {
                case (byte)'1':
                    Close("transport close", byClient: true);
                    return false;
                case (byte)'2':
                    // v4 clients do not ping (but for the upgrade probe, read by the upgrading transport); answer anyway.
                    await SendAsync(Pong(packet), Closed).ConfigureAwait(false);
                    return true;
                case (byte)'3':
                    OnPong();
                    return true;
                case (byte)'4':
                    await Handler!.OnMessageAsync(this, packet[1..], binary: false).ConfigureAwait(false);
                    return !IsClosed;
                case (byte)'5':
                case (byte)'6':
                    return true;
                default:
                    throw new EngineIoProtocolException("An unknown packet type.");
            }
        }
        catch (EngineIoProtocolException ex)
        {
            Log.SocketIOProtocolError(_server.Logger, Id, ex.Message);
            Close(ParseError, byClient: false);
            return false;
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex) || ex is OperationCanceledException)
        {
            Close("transport error", byClient: false);
            return false;
        }
    }

    private static byte[] Pong(ReadOnlyMemory<byte> ping)
    {
        byte[] pong = ping.ToArray();
        pong[0] = (byte)'3';
        return pong;
    }

    /// <summary>
    /// Ends the session once: a waiting poll gets <c>6</c> when the client closed, <c>1</c> otherwise; a WebSocket is
    /// closed; the handler hears <paramref name="reason"/>.
    /// </summary>
    public void Close(string reason, bool byClient)
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
        {
            return;
        }

        _closeReason = reason;

        _server.Remove(this);
        _heartbeat.Dispose();
        lock (_pollLock)
        {
            _closeReply = byClient ? "6" : "1";
            _pollSignal?.TrySetResult();
            _drained?.TrySetResult();
            foreach (Pending pending in _pending)
            {
                ArrayPool<byte>.Shared.Return(pending.Array);
            }

            _pending.Clear();
        }

        Log.SocketIOSessionClosed(_server.Logger, Id, reason);
        try
        {
            Handler?.OnClose(this, reason);
        }
        finally
        {
            _closed.Cancel();
            if (_webSocket is { } socket && !byClient)
            {
                _ = CloseSocketAsync(socket).AsTask();
            }
        }
    }

    private static string NewId() => RandomIds.Create(15);

    private readonly record struct Pending(byte[] Array, int Length, bool Binary);
}
