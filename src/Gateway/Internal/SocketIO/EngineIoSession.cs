using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Buffers.Text;
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
internal sealed class EngineIoSession
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

    public EngineIoSession(EngineIoServer server, HttpContext handshake, bool webSocket)
    {
        _server = server;
        Id = NewId();
        Handshake = new HandshakeSnapshot(handshake);
        IsWebSocket = webSocket;
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

    private static async ValueTask SendOverWebSocketAsync(WebSocket socket, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
    {
        int nul = packet.Span.IndexOf((byte)0);
        if (nul != 0)
        {
            await socket.SendAsync(nul < 0 ? packet : packet[..nul], WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }

        if (nul < 0)
        {
            return;
        }

        ReadOnlyMemory<byte> rest = packet[(nul + 1)..];
        while (rest.Length >= 4)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(rest.Span);
            await socket.SendAsync(rest.Slice(4, length), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            rest = rest[(4 + length)..];
        }
    }

    // Queues a packet for the next poll; returns a task to wait on when the queue is over its bound.
    private Task? Append(ReadOnlyMemory<byte> packet)
    {
        lock (_pollLock)
        {
            int nul = packet.Span.IndexOf((byte)0);
            if (nul != 0)
            {
                AddPending(nul < 0 ? packet.Span : packet.Span[..nul], binary: false);
            }

            if (nul >= 0)
            {
                ReadOnlySpan<byte> rest = packet.Span[(nul + 1)..];
                while (rest.Length >= 4)
                {
                    int length = BinaryPrimitives.ReadInt32BigEndian(rest);
                    AddPending(rest.Slice(4, length), binary: true);
                    rest = rest[(4 + length)..];
                }
            }

            _pollSignal?.TrySetResult();
            if (_pendingBytes <= _server.Options.MaxHttpBufferSize)
            {
                return null;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    private void AddPending(ReadOnlySpan<byte> bytes, bool binary)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, 1));
        bytes.CopyTo(array);
        _pending.Add(new Pending(array, bytes.Length, binary));
        _pendingBytes += bytes.Length;
    }

    /// <summary>
    /// Whether the client missed its pong deadline: checked when a request arrives, so a late timer never lets a session
    /// outlive its timeout.
    /// </summary>
    public bool HasExpired()
    {
        if (Volatile.Read(ref _awaitingPong) == 1 && Environment.TickCount64 >= Volatile.Read(ref _pongDeadline))
        {
            Close("ping timeout", byClient: false);
        }

        return IsClosed;
    }

    /// <summary>A long-polling GET: waits for packets (or the session's end) and writes them as one payload.</summary>
    public async Task PollAsync(HttpContext context)
    {
        if (IsUpgrading)
        {
            // A new poll while the client upgrades: let the upgrade finish first (it sends "5" right after "2probe"),
            // then the poll is refused as the npm server refuses polls of an upgraded session.
            for (int i = 0; i < 10 && IsUpgrading; i++)
            {
                await Task.Delay(10, context.RequestAborted).ConfigureAwait(false);
            }

            if (IsWebSocket)
            {
                EngineIoServer.RespondError(context, EngineIoServer.Errors.BadRequest);
                return;
            }
        }

        lock (_pollLock)
        {
            if (_pollActive)
            {
                // Two polls at once: the npm server fails the session ("overlap from client").
                EngineIoServer.RespondError(context, EngineIoServer.Errors.BadRequest);
                Close("transport error", byClient: false);
                return;
            }

            _pollActive = true;
        }

        try
        {
            while (true)
            {
                Task signal;
                lock (_pollLock)
                {
                    if (_pending.Count > 0 || _closeReply is not null || IsUpgrading)
                    {
                        break;
                    }

                    _pollSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    signal = _pollSignal.Task;
                }

                try
                {
                    await signal.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Close("transport close", byClient: true);
                    return;
                }
            }

            var body = new PooledBufferWriter();
            try
            {
                lock (_pollLock)
                {
                    _pollSignal = null;
                    if (_pending.Count > 0 && _closeReply is null && !IsUpgrading)
                    {
                        for (int i = 0; i < _pending.Count; i++)
                        {
                            Pending pending = _pending[i];
                            EngineIoPayload.Write(body, pending.Array.AsSpan(0, pending.Length), pending.Binary, first: i == 0);
                            ArrayPool<byte>.Shared.Return(pending.Array);
                        }

                        _pending.Clear();
                        _pendingBytes = 0;
                        _drained?.TrySetResult();
                        _drained = null;
                    }
                    else
                    {
                        // The session's end ("1", or "6" after the client's close), or a noop that ends this poll so
                        // that the client can finish its upgrade.
                        EngineIoPayload.Write(body, System.Text.Encoding.ASCII.GetBytes(_closeReply ?? "6"), false, first: true);
                    }
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/plain; charset=UTF-8";
                context.Response.ContentLength = body.WrittenMemory.Length;
                await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                body.Clear();
            }
        }
        finally
        {
            lock (_pollLock)
            {
                _pollActive = false;
            }
        }
    }

    /// <summary>A long-polling POST: the body's packets, handled in order.</summary>
    public async Task ReceivePostAsync(HttpContext context)
    {
        lock (_pollLock)
        {
            if (_postActive)
            {
                EngineIoServer.RespondError(context, EngineIoServer.Errors.BadRequest);
                Close("transport error", byClient: false);
                return;
            }

            _postActive = true;
        }

        byte[]? buffer = null;
        try
        {
            if (string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                EngineIoServer.RespondError(context, EngineIoServer.Errors.BadRequest);
                Close("transport error", byClient: false);
                return;
            }

            int limit = _server.Options.MaxHttpBufferSize;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                Close("transport error", byClient: false);
                return;
            }

            buffer = ArrayPool<byte>.Shared.Rent(4096);
            int count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read = await context.Request.Body.ReadAsync(buffer.AsMemory(count), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                count += read;
                if (count > limit)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    Close("transport error", byClient: false);
                    return;
                }
            }

            bool valid = await EngineIoPayload.ForEachPacketAsync(buffer.AsMemory(0, count), ReceivePacketAsync).ConfigureAwait(false);
            if (!valid)
            {
                EngineIoServer.RespondError(context, EngineIoServer.Errors.BadRequest);
                Close("parse error", byClient: false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = 2;
            await context.Response.Body.WriteAsync("ok"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            Close("transport error", byClient: false);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            lock (_pollLock)
            {
                _postActive = false;
            }
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
            Close("parse error", byClient: false);
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

    /// <summary>Runs a WebSocket transport: the session's own, or one that upgrades a long-polling session.</summary>
    public async Task RunWebSocketAsync(WebSocket socket, bool upgrade)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            if (upgrade && !await UpgradeAsync(socket, buffer).ConfigureAwait(false))
            {
                return;
            }

            if (!upgrade)
            {
                _webSocket = socket;
            }

            while (!IsClosed)
            {
                (WebSocketMessageType type, int count, byte[] message) = await ReceiveMessageAsync(socket, buffer, Closed).ConfigureAwait(false);
                buffer = message;
                if (type == WebSocketMessageType.Close)
                {
                    Close("transport close", byClient: true);
                    break;
                }

                if (count < 0)
                {
                    Log.SocketIOProtocolError(_server.Logger, Id, "A message over MaxHttpBufferSize.");
                    Close("transport error", byClient: false);
                    break;
                }

                if (!await ReceivePacketAsync(buffer.AsMemory(0, count), type == WebSocketMessageType.Binary).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Close("transport error", byClient: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await CloseSocketAsync(socket).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The upgrade of a long-polling session: <c>2probe</c> is answered with <c>3probe</c>, the pending poll ends with a
    /// noop, and <c>5</c> moves the session (and the packets waiting for a poll) to the WebSocket.
    /// </summary>
    private async ValueTask<bool> UpgradeAsync(WebSocket socket, byte[] buffer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Closed);
        timeout.CancelAfter(_server.Options.UpgradeTimeout);
        try
        {
            while (true)
            {
                (WebSocketMessageType type, int count, byte[] message) = await ReceiveMessageAsync(socket, buffer, timeout.Token).ConfigureAwait(false);
                buffer = message;
                ReadOnlySpan<byte> packet = type == WebSocketMessageType.Text && count > 0 ? buffer.AsSpan(0, count) : default;
                if (packet.SequenceEqual("2probe"u8))
                {
                    await socket.SendAsync("3probe"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                    lock (_pollLock)
                    {
                        IsUpgrading = true;
                        _pollSignal?.TrySetResult();
                    }

                    continue;
                }

                if (packet.SequenceEqual("5"u8) && IsUpgrading)
                {
                    await CompleteUpgradeAsync(socket).ConfigureAwait(false);
                    return true;
                }

                lock (_pollLock)
                {
                    IsUpgrading = false;
                }

                return false;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            lock (_pollLock)
            {
                IsUpgrading = false;
                _pollSignal?.TrySetResult();
            }

            return false;
        }
    }

    private async ValueTask CompleteUpgradeAsync(WebSocket socket)
    {
        await _send.WaitAsync(Closed).ConfigureAwait(false);
        try
        {
            Pending[] waiting;
            lock (_pollLock)
            {
                waiting = [.. _pending];
                _pending.Clear();
                _pendingBytes = 0;
                _webSocket = socket;
                IsWebSocket = true;
                IsUpgrading = false;
                _pollSignal?.TrySetResult();
                _drained?.TrySetResult();
                _drained = null;
            }

            foreach (Pending pending in waiting)
            {
                try
                {
                    await socket.SendAsync(
                        pending.Array.AsMemory(0, pending.Length),
                        pending.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text,
                        true,
                        Closed).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(pending.Array);
                }
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Reads one message; a count of -1 says it was over the limit.</summary>
    private async ValueTask<(WebSocketMessageType Type, int Count, byte[] Buffer)> ReceiveMessageAsync(
        WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        int limit = _server.Options.MaxHttpBufferSize;
        int count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                buffer.AsSpan(0, count).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0, buffer);
            }

            count += result.Count;
            if (count > limit)
            {
                return (result.MessageType, -1, buffer);
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, count, buffer);
            }
        }
    }

    private static async ValueTask CloseSocketAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort();
        }
    }

    private void OnHeartbeat()
    {
        if (IsClosed)
        {
            return;
        }

        if (Volatile.Read(ref _awaitingPong) == 1)
        {
            Close("ping timeout", byClient: false);
            return;
        }

        // The deadline first: a request checking it (HasExpired) never sees the flag with the last round's deadline.
        // The timer is re-armed before the ping can be answered, so the pong's re-arming is never overwritten.
        Volatile.Write(ref _pongDeadline, Environment.TickCount64 + (long)_server.Options.PingTimeout.TotalMilliseconds);
        try
        {
            _heartbeat.Change(_server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        Volatile.Write(ref _awaitingPong, 1);
        _ = PingAsync();
    }

    private async Task PingAsync()
    {
        try
        {
            await SendAsync("2"u8.ToArray(), Closed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex) || ex is OperationCanceledException)
        {
            Close("transport error", byClient: false);
        }
    }

    private void OnPong()
    {
        if (Interlocked.Exchange(ref _awaitingPong, 0) == 1)
        {
            try
            {
                _heartbeat.Change(_server.Options.PingInterval, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }
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

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    private readonly record struct Pending(byte[] Array, int Length, bool Binary);
}
