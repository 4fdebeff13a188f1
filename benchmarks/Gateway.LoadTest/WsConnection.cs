using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadTest;

/// <summary>
/// A minimal RFC 6455 client on a <see cref="Socket"/>: the HTTP upgrade, masked frames out, server frames
/// parsed from one large receive buffer (<see cref="Buffer"/> between <see cref="Start"/> and <see cref="End"/>).
/// The setup helpers here are for the handshake, probes and idle connections; the load loop reads and writes
/// the buffers directly (see <see cref="LoadConnection"/>).
/// </summary>
internal sealed class WsConnection : IDisposable
{
    private static readonly byte[] s_signalRHandshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private uint _maskState;

    private WsConnection(Socket socket, int receiveBufferSize)
    {
        Socket = socket;
        Buffer = new byte[receiveBufferSize];
        _maskState = (uint)Random.Shared.Next(1, int.MaxValue);
    }

    public Socket Socket { get; }

    public byte[] Buffer { get; }

    public int Start { get; set; }

    public int End { get; set; }

    /// <summary>Connects, upgrades to a WebSocket and completes the SignalR or Socket.IO handshake when there is one.</summary>
    public static async Task<WsConnection> ConnectAsync(
        IPEndPoint endPoint, string path, ServerProtocol protocol, int receiveBufferSize, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await OpenAsync(socket, endPoint, path, protocol, receiveBufferSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Upgrades a connected socket to a WebSocket, then for SignalR completes the hub handshake, for Socket.IO reads
    /// Engine.IO's open packet and connects to the default namespace (at <paramref name="path"/>, e.g. <c>/socket.io/</c>).
    /// </summary>
    public static async Task<WsConnection> OpenAsync(
        Socket socket, IPEndPoint endPoint, string path, ServerProtocol protocol, int receiveBufferSize, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        var connection = new WsConnection(socket, receiveBufferSize);
        try
        {
            string target = protocol == ServerProtocol.SocketIO ? path + SocketIOPackets.Query : path;
            await connection.UpgradeAsync(endPoint, target, cancellationToken).ConfigureAwait(false);
            if (protocol == ServerProtocol.SocketIO)
            {
                await connection.ConnectSocketIOAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (protocol == ServerProtocol.SignalR)
            {
                await connection.SendAsync(WsFrames.Text, s_signalRHandshake, cancellationToken).ConfigureAwait(false);
                (byte _, byte[] reply) = await connection.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
                if (!reply.AsSpan().SequenceEqual("{}\u001e"u8))
                {
                    throw new ProtocolException("SignalR handshake refused: " + Encoding.UTF8.GetString(reply));
                }
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The next mask key (xorshift32: cheap, and a different key for every frame).</summary>
    public uint NextMask()
    {
        uint x = _maskState;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _maskState = x;
        return x;
    }

    public async Task SendAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        byte[] frame = WsFrames.Frame(opcode, payload.Span, NextMask());
        await Socket.SendAsync(frame, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Receives the next data message (joining fragments); answers pings, skips pongs, throws on a close frame.
    /// </summary>
    public async Task<(byte Opcode, byte[] Payload)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        List<byte>? fragments = null;
        byte fragmentOpcode = 0;
        while (true)
        {
            while (TryTakeFrame(out byte opcode, out bool fin, out byte[] payload))
            {
                switch (opcode)
                {
                    case WsFrames.Text or WsFrames.Binary when fin && fragments is null:
                        return (opcode, payload);
                    case WsFrames.Text or WsFrames.Binary when fragments is null:
                        fragments = [.. payload];
                        fragmentOpcode = opcode;
                        break;
                    case WsFrames.Continuation when fragments is not null:
                        fragments.AddRange(payload);
                        if (fin)
                        {
                            return (fragmentOpcode, fragments.ToArray());
                        }

                        break;
                    case WsFrames.Ping:
                        await SendAsync(WsFrames.Pong, payload, cancellationToken).ConfigureAwait(false);
                        break;
                    case WsFrames.Pong:
                        break;
                    case WsFrames.Close:
                        throw new ProtocolException("the server closed the WebSocket" + DescribeClose(payload));
                    default:
                        throw new ProtocolException($"unexpected frame (opcode 0x{opcode:X}, fin {fin})");
                }
            }

            await ReceiveMoreAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One <c>identity</c> round trip (setup path): sends <paramref name="value"/>, checks the reply.</summary>
    public async Task IdentityAsync(ServerProtocol protocol, int value, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[WsFrames.MaxRequestFrame];
        int length = protocol switch
        {
            ServerProtocol.Nest => WsFrames.WriteNestIdentity(frame, value, NextMask()),
            ServerProtocol.SocketIO => WsFrames.WriteSocketIOIdentity(frame, 1, value, NextMask()),
            _ => WsFrames.WriteSignalRIdentity(frame, 1, value, NextMask()),
        };
        await Socket.SendAsync(frame.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (protocol == ServerProtocol.SocketIO)
        {
            byte[] ack = await ReceiveSocketIOPacketAsync(cancellationToken).ConfigureAwait(false);
            if (SocketIOPackets.TryParseAck(ack, out long ackId, out int result) && ackId == 1 && result == value)
            {
                return;
            }

            throw new ProtocolException($"identity {value} (ack 1) answered {Encoding.UTF8.GetString(ack)}");
        }

        while (true)
        {
            (byte _, byte[] reply) = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
            if (protocol == ServerProtocol.Nest)
            {
                if (reply.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture))))
                {
                    return;
                }

                throw new ProtocolException($"identity {value} answered {Encoding.UTF8.GetString(reply)}");
            }

            // SignalR: skip pings; the completion must carry the result.
            foreach (string record in Encoding.UTF8.GetString(reply).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                using JsonDocument document = JsonDocument.Parse(record);
                int type = document.RootElement.GetProperty("type").GetInt32();
                if (type == 6)
                {
                    continue;
                }

                if (type == 3 &&
                    document.RootElement.TryGetProperty("invocationId", out JsonElement id) && id.GetString() == "1" &&
                    document.RootElement.TryGetProperty("result", out JsonElement result) && result.GetInt32() == value)
                {
                    return;
                }

                throw new ProtocolException($"Identity({value}) answered {record}");
            }
        }
    }

    /// <summary>
    /// Receives the next Socket.IO packet that is neither a ping (answered with a pong here: the server's heartbeat) nor
    /// an event the server emits on its own (not a reply to anything the harness sends; skipped).
    /// </summary>
    public async Task<byte[]> ReceiveSocketIOPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (byte opcode, byte[] packet) = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
            if (opcode != WsFrames.Text)
            {
                throw new ProtocolException($"a binary message where a Socket.IO packet was expected ({packet.Length} bytes)");
            }

            if (SocketIOPackets.IsPing(packet))
            {
                await SendAsync(WsFrames.Text, SocketIOPackets.Pong.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else if (!SocketIOPackets.IsEvent(packet))
            {
                return packet;
            }
        }
    }

    /// <summary>Sends a close frame (1000) and waits briefly for the server's, then closes the socket.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await SendAsync(WsFrames.Close, new byte[] { 0x03, 0xE8 }, cts.Token).ConfigureAwait(false);
            while (true)
            {
                while (TryTakeFrame(out byte opcode, out _, out _))
                {
                    if (opcode == WsFrames.Close)
                    {
                        return;
                    }
                }

                await ReceiveMoreAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ProtocolException or ObjectDisposedException)
        {
            // Closing is best effort: the server may already be gone.
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>Reads more bytes into the buffer, moving what is unread to its front first when needed.</summary>
    public async ValueTask ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        Compact(Buffer.Length / 2);
        if (End == Buffer.Length)
        {
            throw new ProtocolException("a server frame is larger than the receive buffer");
        }

        int received = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (received == 0)
        {
            throw new ProtocolException("the server closed the connection");
        }

        End += received;
    }

    /// <summary>Moves unread bytes to the buffer's front when fewer than <paramref name="minFree"/> bytes are free after them.</summary>
    public void Compact(int minFree)
    {
        if (Start == End)
        {
            Start = End = 0;
        }
        else if (Buffer.Length - End < minFree && Start > 0)
        {
            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
            End -= Start;
            Start = 0;
        }
    }

    private bool TryTakeFrame(out byte opcode, out bool fin, out byte[] payload)
    {
        payload = [];
        ReadOnlySpan<byte> available = Buffer.AsSpan(Start, End - Start);
        if (!WsFrames.TryReadHeader(available, out int header, out opcode, out fin, out long length))
        {
            return false;
        }

        if (opcode == 0xFF)
        {
            throw new ProtocolException("the server sent a masked frame");
        }

        if (header + length > Buffer.Length)
        {
            throw new ProtocolException($"a server frame of {length} bytes is larger than the receive buffer");
        }

        if (available.Length < header + length)
        {
            return false;
        }

        payload = available.Slice(header, (int)length).ToArray();
        Start += header + (int)length;
        return true;
    }

    private async Task UpgradeAsync(IPEndPoint endPoint, string path, CancellationToken cancellationToken)
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        string request =
            $"GET {path} HTTP/1.1\r\nHost: {endPoint}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await Socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken).ConfigureAwait(false);

        int headerEnd;
        while ((headerEnd = Buffer.AsSpan(0, End).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await ReceiveMoreAsync(cancellationToken).ConfigureAwait(false);
        }

        string response = Encoding.ASCII.GetString(Buffer, 0, headerEnd);
        Start = headerEnd + 4;
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new ProtocolException("upgrade refused: " + response.Split("\r\n")[0]);
        }

#pragma warning disable CA5350 // RFC 6455 defines Sec-WebSocket-Accept with SHA-1; it is not used for security here.
        string expected = Convert.ToBase64String(
            SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        bool accepted = response.Split("\r\n").Any(line =>
            line.StartsWith("Sec-WebSocket-Accept:", StringComparison.OrdinalIgnoreCase) &&
            line["Sec-WebSocket-Accept:".Length..].Trim() == expected);
        if (!accepted)
        {
            throw new ProtocolException("upgrade response without the right Sec-WebSocket-Accept");
        }
    }

    /// <summary>Engine.IO's open packet, then Socket.IO's CONNECT to the default namespace and the server's answer to it.</summary>
    private async Task ConnectSocketIOAsync(CancellationToken cancellationToken)
    {
        byte[] open = await ReceiveSocketIOPacketAsync(cancellationToken).ConfigureAwait(false);
        if (!SocketIOPackets.IsOpen(open))
        {
            throw new ProtocolException("expected Engine.IO's open packet 0{...}, got " + Encoding.UTF8.GetString(open));
        }

        await SendAsync(WsFrames.Text, SocketIOPackets.Connect.ToArray(), cancellationToken).ConfigureAwait(false);
        byte[] connected = await ReceiveSocketIOPacketAsync(cancellationToken).ConfigureAwait(false);
        if (!SocketIOPackets.IsConnected(connected))
        {
            throw new ProtocolException("Socket.IO CONNECT answered " + Encoding.UTF8.GetString(connected));
        }
    }

    private static string DescribeClose(byte[] payload) =>
        payload.Length >= 2
            ? $" ({(payload[0] << 8) | payload[1]} {Encoding.UTF8.GetString(payload, 2, payload.Length - 2)})"
            : string.Empty;
}

/// <summary>A server broke the protocol (or the harness's expectations of it).</summary>
internal sealed class ProtocolException(string message) : Exception(message);
