using System.Buffers.Text;

namespace Gateway.LoadTest;

/// <summary>
/// The Engine.IO v4 / Socket.IO v5 packets the harness's client speaks, over the WebSocket transport, where each
/// WebSocket text message is one Engine.IO packet: <c>0{...}</c> open, <c>2</c> ping from the server that the client
/// must answer with <c>3</c> (else the server ends the session after pingInterval + pingTimeout), and <c>4</c> followed
/// by a Socket.IO packet of the default namespace: <c>40</c> connect, <c>42[...]</c> event, <c>43&lt;id&gt;[...]</c> ack,
/// <c>44{...}</c> connect error.
/// </summary>
internal static class SocketIOPackets
{
    /// <summary>Appended to the server's path (<c>/socket.io/</c>): straight to WebSocket, no long-polling handshake.</summary>
    public const string Query = "?EIO=4&transport=websocket";

    /// <summary>CONNECT to the default namespace, without an auth payload.</summary>
    public static ReadOnlySpan<byte> Connect => "40"u8;

    public static ReadOnlySpan<byte> Pong => "3"u8;

    private static ReadOnlySpan<byte> AckPrefix => "43"u8;

    private static ReadOnlySpan<byte> IdentityPrefix => "42"u8;

    private static ReadOnlySpan<byte> IdentityMiddle => "[\"identity\","u8;

    /// <summary>The most bytes <see cref="WriteIdentity"/> writes: <c>42</c>, a long, the event name, an int, <c>]</c>.</summary>
    public const int MaxIdentityLength = 2 + 20 + 12 + 11 + 1;

    public static bool IsOpen(ReadOnlySpan<byte> packet) => packet.StartsWith("0{"u8);

    public static bool IsPing(ReadOnlySpan<byte> packet) => packet.SequenceEqual("2"u8);

    public static bool IsEvent(ReadOnlySpan<byte> packet) => packet.StartsWith("42"u8);

    /// <summary>The server's answer to <see cref="Connect"/>: <c>40{"sid":"..."}</c>.</summary>
    public static bool IsConnected(ReadOnlySpan<byte> packet) => packet.StartsWith("40{"u8) && packet.IndexOf("\"sid\""u8) > 0;

    /// <summary>Writes <c>42&lt;ackId&gt;["identity",value]</c>: an event that asks for an ack.</summary>
    public static int WriteIdentity(Span<byte> destination, long ackId, int value)
    {
        IdentityPrefix.CopyTo(destination);
        int length = IdentityPrefix.Length;
        Utf8Formatter.TryFormat(ackId, destination[length..], out int written);
        length += written;
        IdentityMiddle.CopyTo(destination[length..]);
        length += IdentityMiddle.Length;
        Utf8Formatter.TryFormat(value, destination[length..], out written);
        length += written;
        destination[length++] = (byte)']';
        return length;
    }

    /// <summary>Reads an ack of one number, <c>43&lt;ackId&gt;[value]</c>, and nothing else.</summary>
    public static bool TryParseAck(ReadOnlySpan<byte> packet, out long ackId, out int value)
    {
        ackId = -1;
        value = 0;
        if (!packet.StartsWith(AckPrefix))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = packet[AckPrefix.Length..];
        // Digits only: Utf8Parser would also take a sign.
        if (rest.IsEmpty || !char.IsAsciiDigit((char)rest[0]) || !Utf8Parser.TryParse(rest, out ackId, out int idLength))
        {
            return false;
        }

        rest = rest[idLength..];
        if (rest.Length < 3 || rest[0] != '[' || rest[^1] != ']')
        {
            return false;
        }

        ReadOnlySpan<byte> number = rest[1..^1];
        return Utf8Parser.TryParse(number, out value, out int valueLength) && valueLength == number.Length;
    }
}
