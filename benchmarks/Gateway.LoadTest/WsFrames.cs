using System.Buffers.Binary;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.LoadTest;

/// <summary>RFC 6455 framing, client side: masked frames out, unmasked server frames in.</summary>
internal static class WsFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>The longest payload a request of the harness has; such a frame has a 2-byte header.</summary>
    public const int MaxSmallPayload = 125;

    /// <summary>The most bytes one request frame takes (header, mask, payload).</summary>
    public const int MaxRequestFrame = 2 + 4 + MaxSmallPayload;

    private static ReadOnlySpan<byte> NestIdentityPrefix => "{\"event\":\"identity\",\"data\":"u8;

    private static ReadOnlySpan<byte> SignalRInvocationPrefix => "{\"type\":1,\"invocationId\":\""u8;

    private static ReadOnlySpan<byte> SignalRInvocationMiddle => "\",\"target\":\"Identity\",\"arguments\":["u8;

    /// <summary>Reads a server frame's header.</summary>
    /// <returns><see langword="false"/> when <paramref name="buffer"/> does not hold the whole header yet.</returns>
    public static bool TryReadHeader(ReadOnlySpan<byte> buffer, out int headerLength, out byte opcode, out bool fin, out long payloadLength)
    {
        headerLength = 0;
        opcode = 0;
        fin = false;
        payloadLength = 0;
        if (buffer.Length < 2)
        {
            return false;
        }

        fin = (buffer[0] & 0x80) != 0;
        opcode = (byte)(buffer[0] & 0x0F);
        bool masked = (buffer[1] & 0x80) != 0;
        int length7 = buffer[1] & 0x7F;
        int length = 2;
        if (length7 < 126)
        {
            payloadLength = length7;
        }
        else if (length7 == 126)
        {
            if (buffer.Length < 4)
            {
                return false;
            }

            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
            length = 4;
        }
        else
        {
            if (buffer.Length < 10)
            {
                return false;
            }

            payloadLength = (long)BinaryPrimitives.ReadUInt64BigEndian(buffer[2..]);
            length = 10;
        }

        // Servers never mask (RFC 6455 5.1); a masked frame is a protocol error the caller reports via opcode.
        if (masked)
        {
            opcode = 0xFF;
        }

        headerLength = length;
        return true;
    }

    /// <summary>Writes one masked frame of a small payload (≤ 125 bytes) and returns its length.</summary>
    public static int WriteSmallFrame(Span<byte> destination, byte opcode, ReadOnlySpan<byte> payload, uint mask)
    {
        if (payload.Length > MaxSmallPayload)
        {
            throw new ArgumentException("A small frame's payload is at most 125 bytes.", nameof(payload));
        }

        payload.CopyTo(destination[6..]);
        return FinishSmallFrame(destination, opcode, payload.Length, mask);
    }

    /// <summary>Writes a masked frame of any length (used for setup messages only).</summary>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, uint mask)
    {
        int header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        byte[] frame = new byte[header + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(header), mask);
        payload.CopyTo(frame.AsSpan(header + 4));
        ApplyMask(frame.AsSpan(header + 4), mask);
        return frame;
    }

    /// <summary>Writes <c>{"event":"identity","data":value}</c> as one masked text frame.</summary>
    public static int WriteNestIdentity(Span<byte> destination, int value, uint mask)
    {
        Span<byte> payload = destination[6..];
        NestIdentityPrefix.CopyTo(payload);
        int length = NestIdentityPrefix.Length;
        Utf8Formatter.TryFormat(value, payload[length..], out int written);
        length += written;
        payload[length++] = (byte)'}';
        return FinishSmallFrame(destination, Text, length, mask);
    }

    /// <summary>Writes a SignalR JSON invocation of <c>Identity(value)</c> (with its record separator) as one masked text frame.</summary>
    public static int WriteSignalRIdentity(Span<byte> destination, long invocationId, int value, uint mask)
    {
        Span<byte> payload = destination[6..];
        SignalRInvocationPrefix.CopyTo(payload);
        int length = SignalRInvocationPrefix.Length;
        Utf8Formatter.TryFormat(invocationId, payload[length..], out int written);
        length += written;
        SignalRInvocationMiddle.CopyTo(payload[length..]);
        length += SignalRInvocationMiddle.Length;
        Utf8Formatter.TryFormat(value, payload[length..], out written);
        length += written;
        payload[length++] = (byte)']';
        payload[length++] = (byte)'}';
        payload[length++] = 0x1E;
        return FinishSmallFrame(destination, Text, length, mask);
    }

    /// <summary>Writes a Socket.IO <c>identity</c> event asking for ack <paramref name="ackId"/> as one masked text frame.</summary>
    public static int WriteSocketIOIdentity(Span<byte> destination, long ackId, int value, uint mask) =>
        FinishSmallFrame(destination, Text, SocketIOPackets.WriteIdentity(destination[6..], ackId, value), mask);

    private static int FinishSmallFrame(Span<byte> destination, byte opcode, int payloadLength, uint mask)
    {
        destination[0] = (byte)(0x80 | opcode);
        destination[1] = (byte)(0x80 | payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[2..], mask);
        ApplyMask(destination.Slice(6, payloadLength), mask);
        return 6 + payloadLength;
    }

    /// <summary>XORs <paramref name="data"/> with the 4-byte key (the key's bytes as they appear on the wire).</summary>
    public static void ApplyMask(Span<byte> data, uint mask)
    {
        ulong mask8 = ((ulong)mask << 32) | mask;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ref byte at = ref Unsafe.Add(ref start, i);
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ulong>(ref at) ^ mask8);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= (byte)(mask >> (8 * (i & 3)));
        }
    }
}
