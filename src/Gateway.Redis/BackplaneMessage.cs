using System.Buffers.Binary;
using System.Text;

namespace Gateway.Redis;

/// <summary>
/// The payload published on a channel: an addressing header, then the frame bytes exactly as the sending node
/// serialized them, so no node serializes again.
/// <code>
/// version (1 byte) | origin node (16 bytes) | kind (1 byte) | key count (int32 LE) | (length int32 LE, UTF-8)* | frame
/// </code>
/// </summary>
internal readonly struct BackplaneMessage
{
    public const byte Version = 1;
    public const int NodeIdLength = 16;

    private BackplaneMessage(ReadOnlyMemory<byte> origin, GatewayTarget.TargetKind kind, string[] keys, ReadOnlyMemory<byte> frame)
    {
        Origin = origin;
        Kind = kind;
        Keys = keys;
        Frame = frame;
    }

    public ReadOnlyMemory<byte> Origin { get; }

    public GatewayTarget.TargetKind Kind { get; }

    public string[] Keys { get; }

    public ReadOnlyMemory<byte> Frame { get; }

    public static byte[] Encode(ReadOnlySpan<byte> origin, GatewayTarget.TargetKind kind, string[] keys, ReadOnlySpan<byte> frame)
    {
        int length = 1 + NodeIdLength + 1 + 4 + frame.Length;
        foreach (string key in keys)
        {
            length += 4 + Encoding.UTF8.GetByteCount(key);
        }

        byte[] payload = new byte[length];
        Span<byte> span = payload;
        span[0] = Version;
        origin.CopyTo(span[1..]);
        span[1 + NodeIdLength] = (byte)kind;
        int offset = 2 + NodeIdLength;
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], keys.Length);
        offset += 4;
        foreach (string key in keys)
        {
            int written = Encoding.UTF8.GetBytes(key, span[(offset + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], written);
            offset += 4 + written;
        }

        frame.CopyTo(span[offset..]);
        return payload;
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

        var kind = (GatewayTarget.TargetKind)span[1 + NodeIdLength];
        int offset = 2 + NodeIdLength;
        int count = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        offset += 4;
        if (count < 0 || count > (span.Length - offset) / 4)
        {
            return false;
        }

        string[] keys = count == 0 ? [] : new string[count];
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

        message = new BackplaneMessage(payload.Slice(1, NodeIdLength), kind, keys, payload[offset..]);
        return true;
    }
}
