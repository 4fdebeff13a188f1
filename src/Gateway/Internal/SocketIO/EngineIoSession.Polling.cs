using System.Buffers;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Http;

namespace Gateway.Internal.SocketIO;

/// <summary>HTTP long-polling: the packets waiting for the next poll, the poll (GET) and the data request (POST).</summary>
internal sealed partial class EngineIoSession
{
    private static readonly TimeSpan UpgradeGrace = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ProbeAnswerLead = TimeSpan.FromMilliseconds(100);

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

    /// <summary>A long-polling GET: waits for packets (or the session's end) and writes them as one payload.</summary>
    public async Task PollAsync(HttpContext context)
    {
        Task? upgrade;
        lock (_pollLock)
        {
            upgrade = _upgradeSettled?.Task;
        }

        if (upgrade is not null)
        {
            // A new poll while a WebSocket is being probed: a moment for the probe's outcome, as the npm server handles
            // what arrived first first (a client that sent "2probe" and "5" before this poll is upgraded, and the poll
            // refused); a poll that waits longer would hold the client's "5" back, so it gets its noop below.
            await Task.WhenAny(upgrade, Task.Delay(UpgradeGrace, context.RequestAborted)).ConfigureAwait(false);
            if (IsWebSocket)
            {
                // The refusal leaves after the probe's answer has had time to reach the client, as it would from a
                // server that handled the probe before the poll: a client that reads both then sees them in that order,
                // even on a loaded machine. socket.io-client never polls during its upgrade (it pauses polling first),
                // so no real client waits here.
                await Task.Delay(ProbeAnswerLead, context.RequestAborted).ConfigureAwait(false);
                await EngineIoServer.RespondErrorAsync(context, EngineIoServer.Errors.BadRequest);
                return;
            }
        }

        bool overlap;
        lock (_pollLock)
        {
            overlap = _pollActive;
            _pollActive = true;
        }

        if (overlap)
        {
            // Two polls at once: the npm server fails the session ("overlap from client"); the first poll gets "1".
            Close("transport error", byClient: false);
            await EngineIoServer.RespondErrorAsync(context, EngineIoServer.Errors.BadRequest);
            return;
        }

        bool released = false;
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

                    // Released before the answer goes out: the client may send its next poll as soon as it has this one,
                    // before this method has returned, and that poll is no overlap.
                    _pollActive = false;
                    released = true;
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
            if (!released)
            {
                lock (_pollLock)
                {
                    _pollActive = false;
                }
            }
        }
    }

    /// <summary>A long-polling POST: the body's packets, handled in order.</summary>
    public async Task ReceivePostAsync(HttpContext context)
    {
        bool overlap;
        lock (_pollLock)
        {
            overlap = _postActive;
            _postActive = true;
        }

        if (overlap)
        {
            Close("transport error", byClient: false);
            await EngineIoServer.RespondErrorAsync(context, EngineIoServer.Errors.BadRequest);
            return;
        }

        byte[]? buffer = null;
        bool released = false;
        try
        {
            if (string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                await EngineIoServer.RespondErrorAsync(context, EngineIoServer.Errors.BadRequest);
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
            if (!valid || _closeReason == ParseError)
            {
                await EngineIoServer.RespondErrorAsync(context, EngineIoServer.Errors.BadRequest);
                Close(ParseError, byClient: false);
                return;
            }

            // Released before the answer goes out, as a poll is (see PollAsync).
            lock (_pollLock)
            {
                _postActive = false;
                released = true;
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

            if (!released)
            {
                lock (_pollLock)
                {
                    _postActive = false;
                }
            }
        }
    }
}
