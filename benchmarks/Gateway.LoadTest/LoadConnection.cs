using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadTest;

/// <summary>The measurement window shared by all connections of a run, in Stopwatch ticks.</summary>
/// <remarks>Replies are counted between <see cref="Start"/> and <see cref="End"/>; no request is sent after <see cref="End"/>,
/// which the worker may bring forward (a warm-up ends once the rate is stable). With a round-trip count, the window
/// ends at the reply that completes that many round trips inside it, and the server's CPU time is read right there.</remarks>
internal sealed class LoadWindow(long start, long end)
{
    private long _end = end;
    private long _remaining = long.MaxValue;
    private int _serverPid;

    public long Start { get; } = start;

    public long End
    {
        get => Volatile.Read(ref _end);
        set => Volatile.Write(ref _end, value);
    }

    /// <summary>The server's CPU seconds when the counted window ended (NaN until then, or without a count).</summary>
    public double ServerCpuAtEnd { get; private set; } = double.NaN;

    /// <summary>Ends the window once <paramref name="count"/> round trips completed inside it.</summary>
    public void EndAfter(long count, int serverPid)
    {
        _serverPid = serverPid;
        _remaining = count;
    }

    /// <summary>Counts one round trip completed inside the window; the last one of the count ends the window.</summary>
    public void Count(long now)
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            ServerCpuAtEnd = ProcStats.ProcessCpuSeconds(_serverPid);
            End = now;
        }
    }
}

/// <summary>
/// One closed-loop connection: keeps <c>inFlight</c> identity requests outstanding, each with a distinct number,
/// and checks every reply. Replies are read in batches from a large buffer; for each batch the replacements go
/// out in one send. Nest-protocol replies must come in request order; SignalR completions are matched by
/// invocation id, Socket.IO acks by ack id. Latency is measured per request, from the send of its batch to the
/// receipt of its reply.
/// </summary>
internal sealed class LoadConnection
{
    private const int MaxErrorSamples = 3;

    private readonly WsConnection _ws;
    private readonly ServerProtocol _protocol;
    private readonly LoadWindow _window;
    private readonly int _inFlight;
    private readonly uint _salt;

    // Per slot: the number sent, the SignalR invocation id or Socket.IO ack id, and the send time of the request in flight there.
    private readonly int[] _values;
    private readonly long[] _ids;
    private readonly long[] _sentAt;
    private readonly bool[] _busy;
    private readonly int[] _queued;
    private int _queuedCount;

    private byte[] _send;
    private int _sendLength;
    private long _nextSeq;
    private long _ackSeq;
    private int _outstanding;
    private List<byte>? _fragments;
    private byte[] _records = new byte[256];
    private int _recordsLength;

    public LoadConnection(WsConnection ws, ServerProtocol protocol, int inFlight, LoadWindow window)
    {
        _ws = ws;
        _protocol = protocol;
        _inFlight = inFlight;
        _window = window;
        _salt = (uint)Random.Shared.Next();
        _values = new int[inFlight];
        _ids = new long[inFlight];
        _sentAt = new long[inFlight];
        _busy = new bool[inFlight];
        _queued = new int[inFlight];
        _send = new byte[(inFlight * WsFrames.MaxRequestFrame) + 256];
    }

    public Histogram Latency { get; } = new();

    public long RoundTrips { get; private set; }

    /// <summary>Every reply so far, warm-up included (read by the progress report).</summary>
    public long Completed { get; private set; }

    public long Errors { get; private set; }

    public List<string> ErrorSamples { get; } = [];

    public bool Failed { get; private set; }

    /// <summary>Runs until the window ends and every request in flight is answered (or the first error).</summary>
    public async Task RunAsync()
    {
        try
        {
            for (int slot = 0; slot < _inFlight; slot++)
            {
                QueueRequest(slot);
            }

            await FlushAsync().ConfigureAwait(false);
            byte[] buffer = _ws.Buffer;
            while (true)
            {
                // Unread bytes (a partial frame, or what came with the handshake) stay; more are read behind them.
                _ws.Compact(4096);
                if (_ws.End == buffer.Length)
                {
                    Fail("a server frame is larger than the receive buffer");
                    return;
                }

                int received = await _ws.Socket.ReceiveAsync(buffer.AsMemory(_ws.End), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    Fail("the server closed the connection");
                    return;
                }

                _ws.End += received;
                long now = Stopwatch.GetTimestamp();
                ProcessFrames(now);
                if (Failed)
                {
                    return;
                }

                if (_sendLength > 0)
                {
                    await FlushAsync().ConfigureAwait(false);
                }

                if (now >= _window.End && _outstanding == 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Fail("socket error: " + ex.Message);
        }
    }

    /// <summary>Ends a connection stuck past the drain timeout, counting what it still waited for.</summary>
    public void Abandon()
    {
        if (_outstanding > 0 && !Failed)
        {
            Fail($"{_outstanding} request(s) never answered");
        }

        _ws.Dispose();
    }

    public Task CloseAsync() => _ws.CloseAsync(TimeSpan.FromSeconds(2));

    private void ProcessFrames(long now)
    {
        byte[] buffer = _ws.Buffer;
        int position = _ws.Start;
        int end = _ws.End;
        while (!Failed)
        {
            ReadOnlySpan<byte> available = buffer.AsSpan(position, end - position);
            if (!WsFrames.TryReadHeader(available, out int header, out byte opcode, out bool fin, out long length))
            {
                break;
            }

            if (header + length > buffer.Length)
            {
                Fail($"a server frame of {length} bytes is larger than the receive buffer");
                break;
            }

            if (available.Length < header + length)
            {
                break;
            }

            ReadOnlySpan<byte> payload = available.Slice(header, (int)length);
            position += header + (int)length;
            switch (opcode)
            {
                case WsFrames.Text or WsFrames.Binary when fin && _fragments is null:
                    OnMessage(payload, now);
                    break;
                case WsFrames.Text or WsFrames.Binary when _fragments is null:
                    _fragments = [.. payload];
                    break;
                case WsFrames.Continuation when _fragments is not null:
                    _fragments.AddRange(payload);
                    if (fin)
                    {
                        byte[] message = [.. _fragments];
                        _fragments = null;
                        OnMessage(message, now);
                    }

                    break;
                case WsFrames.Ping:
                    EnsureSendCapacity(WsFrames.MaxRequestFrame);
                    _sendLength += WsFrames.WriteSmallFrame(_send.AsSpan(_sendLength), WsFrames.Pong, payload, _ws.NextMask());
                    break;
                case WsFrames.Pong:
                    break;
                case WsFrames.Close:
                    Fail("the server sent a close frame");
                    break;
                default:
                    Fail($"unexpected frame (opcode 0x{opcode:X}, fin {fin})");
                    break;
            }
        }

        _ws.Start = position;
    }

    private void OnMessage(ReadOnlySpan<byte> payload, long now)
    {
        if (_protocol == ServerProtocol.Nest)
        {
            OnNestReply(payload, now);
            return;
        }

        if (_protocol == ServerProtocol.SocketIO)
        {
            OnSocketIOPacket(payload, now);
            return;
        }

        // SignalR: a message holds one or more records, each ended by 0x1E; a record could straddle messages.
        if (_recordsLength > 0)
        {
            if (_records.Length < _recordsLength + payload.Length)
            {
                Array.Resize(ref _records, (_recordsLength + payload.Length) * 2);
            }

            payload.CopyTo(_records.AsSpan(_recordsLength));
            _recordsLength += payload.Length;
            int consumed = OnSignalRRecords(_records.AsSpan(0, _recordsLength), now);
            _records.AsSpan(consumed, _recordsLength - consumed).CopyTo(_records);
            _recordsLength -= consumed;
        }
        else
        {
            int consumed = OnSignalRRecords(payload, now);
            ReadOnlySpan<byte> rest = payload[consumed..];
            if (!rest.IsEmpty)
            {
                if (_records.Length < rest.Length)
                {
                    _records = new byte[rest.Length * 2];
                }

                rest.CopyTo(_records);
                _recordsLength = rest.Length;
            }
        }
    }

    private void OnNestReply(ReadOnlySpan<byte> payload, long now)
    {
        if (_outstanding == 0)
        {
            Fail("a message with no request in flight: " + Show(payload));
            return;
        }

        int slot = (int)(_ackSeq % _inFlight);
        if (!Utf8Parser.TryParse(payload, out int value, out int consumed) || consumed != payload.Length || value != _values[slot])
        {
            Fail($"expected the reply {_values[slot]}, got {Show(payload)}");
            return;
        }

        _ackSeq++;
        Complete(slot, now);
    }

    private void OnSocketIOPacket(ReadOnlySpan<byte> packet, long now)
    {
        if (SocketIOPackets.TryParseAck(packet, out long id, out int result))
        {
            int slot = (int)(id % _inFlight);
            if (!_busy[slot] || _ids[slot] != id)
            {
                Fail("an ack for no request in flight: " + Show(packet));
            }
            else if (result != _values[slot])
            {
                Fail($"expected the ack [{_values[slot]}], got {Show(packet)}");
            }
            else
            {
                _busy[slot] = false;
                Complete(slot, now);
            }
        }
        else if (SocketIOPackets.IsPing(packet))
        {
            // Engine.IO's heartbeat (every pingInterval, 25 s by default): unanswered, the server ends the session.
            EnsureSendCapacity(WsFrames.MaxRequestFrame);
            _sendLength += WsFrames.WriteSmallFrame(_send.AsSpan(_sendLength), WsFrames.Text, SocketIOPackets.Pong, _ws.NextMask());
        }
        else if (!SocketIOPackets.IsEvent(packet))
        {
            // Events the server emits on its own are not replies (skipped, as at connect); anything else is wrong.
            Fail("unexpected Socket.IO packet: " + Show(packet));
        }
    }

    /// <returns>How many bytes of complete records were handled.</returns>
    private int OnSignalRRecords(ReadOnlySpan<byte> records, long now)
    {
        int consumed = 0;
        int separator;
        while (!Failed && (separator = records[consumed..].IndexOf((byte)0x1E)) >= 0)
        {
            OnSignalRRecord(records.Slice(consumed, separator), now);
            consumed += separator + 1;
        }

        return consumed;
    }

    private void OnSignalRRecord(ReadOnlySpan<byte> record, long now)
    {
        int type = -1;
        long id = -1;
        int result = 0;
        bool hasResult = false;
        bool hasError = false;
        try
        {
            var reader = new Utf8JsonReader(record);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("invocationId"u8))
                {
                    reader.Read();
                    if (!Utf8Parser.TryParse(reader.ValueSpan, out id, out int idLength) || idLength != reader.ValueSpan.Length)
                    {
                        id = -1;
                    }
                }
                else if (reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    hasResult = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out result);
                }
                else
                {
                    hasError |= reader.ValueTextEquals("error"u8);
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            Fail("invalid SignalR record: " + Show(record));
            return;
        }

        switch (type)
        {
            case 3:
                int slot = id < 0 ? -1 : (int)(id % _inFlight);
                if (slot < 0 || !_busy[slot] || _ids[slot] != id)
                {
                    Fail("a completion for no invocation in flight: " + Show(record));
                }
                else if (hasError || !hasResult || result != _values[slot])
                {
                    Fail($"expected the result {_values[slot]}, got {Show(record)}");
                }
                else
                {
                    _busy[slot] = false;
                    Complete(slot, now);
                }

                break;
            case 6:
                break;
            default:
                Fail("unexpected SignalR message: " + Show(record));
                break;
        }
    }

    private void Complete(int slot, long now)
    {
        _outstanding--;
        Completed++;
        if (now >= _window.Start && now < _window.End)
        {
            RoundTrips++;
            Latency.Record(now - _sentAt[slot]);
            _window.Count(now);
        }

        if (now < _window.End)
        {
            QueueRequest(slot);
        }
    }

    private void QueueRequest(int slot)
    {
        long seq = _nextSeq++;
        // A bijection of seq (odd multiplier mod 2^31): distinct numbers of varying lengths.
        int value = (int)(((uint)seq * 2654435761u + _salt) & 0x7FFFFFFF);
        _values[slot] = value;
        Span<byte> destination = _send.AsSpan(_sendLength);
        if (_protocol == ServerProtocol.Nest)
        {
            _sendLength += WsFrames.WriteNestIdentity(destination, value, _ws.NextMask());
        }
        else
        {
            // Distinct per connection (seq is) and back to its slot by id % inFlight.
            long id = (seq * _inFlight) + slot;
            _ids[slot] = id;
            _busy[slot] = true;
            _sendLength += _protocol == ServerProtocol.SocketIO
                ? WsFrames.WriteSocketIOIdentity(destination, id, value, _ws.NextMask())
                : WsFrames.WriteSignalRIdentity(destination, id, value, _ws.NextMask());
        }

        _queued[_queuedCount++] = slot;
        _outstanding++;
    }

    private ValueTask<int> FlushAsync()
    {
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < _queuedCount; i++)
        {
            _sentAt[_queued[i]] = now;
        }

        _queuedCount = 0;
        int length = _sendLength;
        _sendLength = 0;
        return _ws.Socket.SendAsync(_send.AsMemory(0, length), SocketFlags.None);
    }

    private void EnsureSendCapacity(int more)
    {
        if (_send.Length - _sendLength < more + (_inFlight * WsFrames.MaxRequestFrame))
        {
            Array.Resize(ref _send, _send.Length * 2);
        }
    }

    private void Fail(string message)
    {
        Failed = true;
        Errors++;
        if (ErrorSamples.Count < MaxErrorSamples)
        {
            ErrorSamples.Add(message);
        }
    }

    private static string Show(ReadOnlySpan<byte> payload) =>
        "'" + Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 200)]) + "'";
}
