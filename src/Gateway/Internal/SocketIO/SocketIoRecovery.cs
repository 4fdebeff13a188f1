using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Gateway.Internal.Resumption;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// Socket.IO's connection state recovery for one namespace connection, as socket.io 4.6+ does it: the CONNECT answer
/// carries a private id (<c>pid</c>); every EVENT the server sends without asking an ack gets its offset as the last
/// argument and is kept; when the Engine.IO session drops, the connection waits up to the window; a client that
/// reconnects with <c>{pid, offset}</c> in its CONNECT <c>auth</c> gets the same connection (id, rooms) and the
/// events after its offset, and the same pid back, which is how socket.io-client sets <c>socket.recovered</c>.
/// </summary>
/// <remarks>
/// What cannot be recovered (the window passed, the events it missed are no longer kept, or something not kept such as
/// an ack or a binary event was sent while it was away) gets a new connection and a new pid: <c>socket.recovered</c>
/// is false, as socket.io reports it. Kept events go after the heartbeat's bound (the client had them, or its dropped
/// session would have been noticed by then) or beyond <see cref="GatewayResumptionOptions.MaxBufferedBytes"/>.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "End disposes the window's timer when the connection is over; the gate never allocates a wait handle.")]
internal sealed class SocketIoRecovery(ConcurrentDictionary<string, SocketIoSocket> away, GatewayResumptionOptions options, TimeSpan heartbeat)
{
    private readonly ConcurrentDictionary<string, SocketIoSocket> _awayTable = away;
    private Timer? _window;
    private volatile bool _away;

    public string Pid { get; } = ResumableSessions.NewToken();

    /// <summary>Orders sends, and the replay of a recovery before them; every use of <see cref="Buffer"/> holds it.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public ReplayBuffer Buffer { get; } = new(options.MaxBufferedBytes);

    /// <summary>Whether the connection waits for its client to come back.</summary>
    public bool Away => _away;

    /// <summary>Whether something that is not kept was sent while away: the connection cannot be recovered.</summary>
    public bool Incomplete { get; set; }

    /// <summary>Events sent longer ago than this (the heartbeat's bound) reached a client still connected.</summary>
    public long HeartbeatTicks { get; } = (long)heartbeat.TotalMilliseconds;

    /// <summary>The Engine.IO reasons after which socket.io recovers (not a client's or server's own close).</summary>
    public static bool IsRecoverable(string reason) => reason is "transport close" or "transport error" or "ping timeout";

    /// <summary>The connection lost its session: it waits for its client, and calls <paramref name="expired"/> if it does not come.</summary>
    public void Leave(SocketIoSocket socket, Action<SocketIoSocket> expired)
    {
        _away = true;
        _awayTable[Pid] = socket;
        using (ExecutionContext.SuppressFlow())
        {
            _window = new Timer(
                static state =>
                {
                    var (recovery, socket, expired) = ((SocketIoRecovery, SocketIoSocket, Action<SocketIoSocket>))state!;
                    if (recovery._awayTable.TryRemove(new KeyValuePair<string, SocketIoSocket>(recovery.Pid, socket)))
                    {
                        expired(socket);
                    }
                },
                (this, socket, expired),
                options.Window,
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The client came back (its connection was taken out of the waiting ones by <see cref="TryTake"/>).</summary>
    public void Return()
    {
        _away = false;
        _window?.Dispose();
        _window = null;
    }

    /// <summary>The connection is over: it waits no more.</summary>
    public void End(SocketIoSocket socket)
    {
        _window?.Dispose();
        _awayTable.TryRemove(new KeyValuePair<string, SocketIoSocket>(Pid, socket));
    }

    /// <summary>Takes the connection of <paramref name="pid"/> out of the waiting ones, so only one client gets it.</summary>
    public static bool TryTake(ConcurrentDictionary<string, SocketIoSocket> away, string pid, out SocketIoSocket? socket) =>
        away.TryRemove(pid, out socket);

    /// <summary>Reads <c>pid</c> and <c>offset</c> from a CONNECT's auth; the offset is 0 when the client got no event yet.</summary>
    public static bool TryReadAuth(JsonElement auth, out string pid, out long offset)
    {
        pid = "";
        offset = 0;
        if (auth.ValueKind != JsonValueKind.Object
            || !auth.TryGetProperty("pid"u8, out JsonElement id) || id.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        pid = id.GetString()!;
        if (!auth.TryGetProperty("offset"u8, out JsonElement last) || last.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        return last.ValueKind == JsonValueKind.String
            && long.TryParse(last.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    /// <summary>
    /// Whether a packet is an EVENT that asks no ack (<c>42[...]</c> or <c>42/ns,[...]</c>): the kind socket.io keeps
    /// and numbers. Acks, events that ask an ack and binary events are not.
    /// </summary>
    public static bool IsKept(ReadOnlySpan<byte> packet)
    {
        if (packet is not [(byte)'4', (byte)'2', .., (byte)']'])
        {
            return false;
        }

        ReadOnlySpan<byte> rest = packet[2..];
        if (rest[0] == (byte)'/')
        {
            int comma = rest.IndexOf((byte)',');
            if (comma < 0)
            {
                return false;
            }

            rest = rest[(comma + 1)..];
        }

        return rest is [(byte)'[', ..];
    }

    /// <summary>Writes the EVENT with its offset as a last argument: <c>42["event",data,"17"]</c>.</summary>
    public static void Number(ReadOnlySpan<byte> packet, long offset, PooledBufferWriter into)
    {
        ReadOnlySpan<byte> head = packet[..^1];
        head.CopyTo(into.GetSpan(head.Length));
        into.Advance(head.Length);
        Span<byte> tail = into.GetSpan(24);
        int written = 0;
        // An event with no argument after its name ("42[\"e\"]") takes the offset after a comma as well.
        tail[written++] = (byte)',';
        tail[written++] = (byte)'"';
        Utf8Formatter.TryFormat(offset, tail[written..], out int digits);
        written += digits;
        tail[written++] = (byte)'"';
        tail[written++] = (byte)']';
        into.Advance(written);
    }
}
