using System.Text.Json;
using Gateway.Internal.Protocol;

namespace Gateway.Internal;

/// <summary>Serializes a frame once into a <see cref="SharedFrame"/>, with a writer cached per thread.</summary>
internal static class FrameSerializer
{
    [ThreadStatic]
    private static PooledBufferWriter? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static SharedFrame Serialize<TFrame>(TFrame frame, WireProtocol protocol) where TFrame : IOutboundFrame
    {
        PooledBufferWriter buffer = t_buffer ??= new PooledBufferWriter();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer, WireProtocol.WriterOptions);
        writer.Reset(buffer);
        try
        {
            frame.Write(writer, protocol);
            writer.Flush();
            return SharedFrame.Create(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Clear();
        }
    }
}
