using System.Buffers;
using System.Buffers.Text;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// Engine.IO v4's long-polling payload: packets joined by the record separator <c>0x1E</c>; a binary packet is
/// <c>b</c> followed by its base64.
/// </summary>
internal static class EngineIoPayload
{
    public const byte Separator = 0x1E;

    /// <summary>Splits a request body into packets; a binary one is decoded into a rented array the callback must not keep.</summary>
    /// <returns>False when a packet is malformed (empty, or bad base64).</returns>
    public static async ValueTask<bool> ForEachPacketAsync(
        ReadOnlyMemory<byte> body, Func<ReadOnlyMemory<byte>, bool, ValueTask<bool>> onPacket)
    {
        while (true)
        {
            int end = body.Span.IndexOf(Separator);
            ReadOnlyMemory<byte> packet = end < 0 ? body : body[..end];
            if (packet.IsEmpty)
            {
                return false;
            }

            bool more;
            if (packet.Span[0] == (byte)'b')
            {
                ReadOnlyMemory<byte> encoded = packet[1..];
                byte[] decoded = ArrayPool<byte>.Shared.Rent(Math.Max(Base64.GetMaxDecodedFromUtf8Length(encoded.Length), 1));
                try
                {
                    if (Base64.DecodeFromUtf8(encoded.Span, decoded, out _, out int written) != OperationStatus.Done)
                    {
                        return false;
                    }

                    more = await onPacket(decoded.AsMemory(0, written), true).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(decoded);
                }
            }
            else
            {
                more = await onPacket(packet, false).ConfigureAwait(false);
            }

            if (!more || end < 0)
            {
                return true;
            }

            body = body[(end + 1)..];
        }
    }

    /// <summary>Appends one packet to a response payload.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> packet, bool binary, bool first)
    {
        if (!first)
        {
            output.GetSpan(1)[0] = Separator;
            output.Advance(1);
        }

        if (!binary)
        {
            output.Write(packet);
            return;
        }

        Span<byte> span = output.GetSpan(1 + Base64.GetMaxEncodedToUtf8Length(packet.Length));
        span[0] = (byte)'b';
        Base64.EncodeToUtf8(packet, span[1..], out _, out int written);
        output.Advance(1 + written);
    }
}
