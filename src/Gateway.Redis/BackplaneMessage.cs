using System.Buffers.Binary;
using System.Text;

namespace Gateway.Redis;

/// <summary>
/// The payload published on a channel: an addressing header, then the frame bytes exactly as the sending node
/// serialized them, so no node serializes again.
/// <code>
/// version (1 byte) | origin node (16 bytes) | kind (1 byte) | key count (int32 LE) | (length int32 LE, UTF-8)* | frame
/// </code>
/// A target with excluded connections (<c>Except</c>) sets the kind's high bit and lists them as a second key list
/// right after the keys.
/// </summary>
internal readonly struct BackplaneMessage
{
    public const byte Version = 1;
    public const int NodeIdLength = 16;

    private const byte ExceptFlag = 0x80;

    private BackplaneMessage(ReadOnlyMemory<byte> origin, GatewayTarget.TargetKind kind, string[] keys, ReadOnlyMemory<byte> frame, string[]? except)
    {
        Except = except;
        Origin = origin;
        Kind = kind;
        Keys = keys;
        Frame = frame;
    }

    public ReadOnlyMemory<byte> Origin { get; }

    public GatewayTarget.TargetKind Kind { get; }

    public string[] Keys { get; }

    /// <summary>Connections the target leaves out, or null.</summary>
    public string[]? Except { get; }

    public ReadOnlyMemory<byte> Frame { get; }

    public static byte[] Encode(ReadOnlySpan<byte> origin, GatewayTarget.TargetKind kind, string[] keys, ReadOnlySpan<byte> frame, string[]? except = null)
    {
        bool excludes = except is { Length: > 0 };
        int length = 1 + NodeIdLength + 1 + 4 + frame.Length + (excludes ? 4 : 0);
        foreach (string key in excludes ? [.. keys, .. except!] : keys)
        {
            length += 4 + Encoding.UTF8.GetByteCount(key);
        }

        byte[] payload = new byte[length];
        Span<byte> span = payload;
        span[0] = Version;
        origin.CopyTo(span[1..]);
        span[1 + NodeIdLength] = (byte)((byte)kind | (excludes ? ExceptFlag : 0));
        int offset = 2 + NodeIdLength;
        offset = WriteKeys(span, offset, keys);
        if (excludes)
        {
            offset = WriteKeys(span, offset, except!);
        }

        frame.CopyTo(span[offset..]);
        return payload;
    }

    private static int WriteKeys(Span<byte> span, int offset, string[] keys)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], keys.Length);
        offset += 4;
        foreach (string key in keys)
        {
            int written = Encoding.UTF8.GetBytes(key, span[(offset + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], written);
            offset += 4 + written;
        }

        return offset;
    }

    /// <summary>Parses a payload; false for anything this version does not understand (another version, a foreign publisher).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, out BackplaneMessage message)
    {
        message = default;
        ReadOnlySpan<byte> span = payload.Span;
        if (span.Length < 2 + NodeIdLength + 4 || span[0] != Version)
        {
            return false;
        }

        byte kindByte = span[1 + NodeIdLength];
        var kind = (GatewayTarget.TargetKind)(kindByte & ~ExceptFlag);
        int offset = 2 + NodeIdLength;
        if (!TryReadKeys(span, ref offset, out string[] keys))
        {
            return false;
        }

        string[]? except = null;
        if ((kindByte & ExceptFlag) != 0 && !TryReadKeys(span, ref offset, out except))
        {
            return false;
        }

        message = new BackplaneMessage(payload.Slice(1, NodeIdLength), kind, keys, payload[offset..], except);
        return true;
    }

    private static bool TryReadKeys(ReadOnlySpan<byte> span, ref int offset, out string[] keys)
    {
        keys = [];
        if (span.Length - offset < 4)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        offset += 4;
        if (count < 0 || count > (span.Length - offset) / 4)
        {
            return false;
        }

        keys = count == 0 ? [] : new string[count];
        for (int i = 0; i < count; i++)
        {
            if (span.Length - offset < 4)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
            offset += 4;
            if (length < 0 || length > span.Length - offset)
            {
                return false;
            }

            keys[i] = Encoding.UTF8.GetString(span.Slice(offset, length));
            offset += length;
        }

        return true;
    }
}
