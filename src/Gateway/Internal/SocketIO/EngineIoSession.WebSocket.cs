using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;

namespace Gateway.Internal.SocketIO;

/// <summary>The WebSocket transport: its receive loop, the upgrade from long-polling, and sending a packet with its attachments.</summary>
internal sealed partial class EngineIoSession
{
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

    /// <summary>Runs a WebSocket transport: the session's own, or one that upgrades a long-polling session.</summary>
    public async Task RunWebSocketAsync(WebSocket socket, bool upgrade)
    {
        byte[]? buffer = null;
        try
        {
            if (upgrade && !await UpgradeAsync(socket).ConfigureAwait(false))
            {
                return;
            }

            if (!upgrade)
            {
                _webSocket = socket;
            }

            while (!IsClosed)
            {
                // A quiet session holds no receive buffer: a zero-byte read waits for the next message, as the NestJS
                // ws connections do; the buffer is rented for the message and returned after it.
                ValueWebSocketReceiveResult waited = await socket.ReceiveAsync(Memory<byte>.Empty, Closed).ConfigureAwait(false);
                if (waited.MessageType == WebSocketMessageType.Close)
                {
                    Close("transport close", byClient: true);
                    break;
                }

                if (waited.EndOfMessage)
                {
                    // An empty message, whole already: an empty (malformed) packet, which the parser refuses as the npm server does.
                    if (!await ReceivePacketAsync(ReadOnlyMemory<byte>.Empty, waited.MessageType == WebSocketMessageType.Binary).ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                buffer = ArrayPool<byte>.Shared.Rent(4096);
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

                bool open = await ReceivePacketAsync(buffer.AsMemory(0, count), type == WebSocketMessageType.Binary).ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
                if (!open)
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
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await CloseSocketAsync(socket).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The upgrade of a long-polling session: <c>2probe</c> is answered with <c>3probe</c>, the pending poll ends with a
    /// noop, and <c>5</c> moves the session (and the packets waiting for a poll) to the WebSocket.
    /// </summary>
    private async ValueTask<bool> UpgradeAsync(WebSocket socket)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64);
        try
        {
            return await ProbeAsync(socket, buffer).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            EndUpgrade();
        }
    }

    /// <summary>A WebSocket arrives to upgrade this session: polls wait for the probe's outcome until <see cref="EndUpgrade"/>.</summary>
    public void BeginUpgrade()
    {
        lock (_pollLock)
        {
            _upgradeCandidates++;
            _upgradeSettled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void EndUpgrade()
    {
        lock (_pollLock)
        {
            if (--_upgradeCandidates == 0)
            {
                _upgradeSettled?.TrySetResult();
                _upgradeSettled = null;
            }
        }
    }

    // The probe's packets are a few bytes: a message that does not fit its buffer fails the upgrade.
    private async ValueTask<bool> ProbeAsync(WebSocket socket, byte[] buffer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Closed);
        timeout.CancelAfter(_server.Options.UpgradeTimeout);
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false);
                ReadOnlySpan<byte> packet = result is { MessageType: WebSocketMessageType.Text, EndOfMessage: true, Count: > 0 }
                    ? buffer.AsSpan(0, result.Count)
                    : default;
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
}
