using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Gateway.Benchmarks;

/// <summary>
/// The baseline: what a careful developer writes by hand with Utf8JsonReader/Utf8JsonWriter for the same
/// protocol, with no framework in between (one reused buffer and writer, no locking, no hooks).
/// </summary>
internal sealed class HandWrittenDispatcher(WebSocket socket, CancellationToken sendToken = default)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private Utf8JsonWriter? _writer;

    public ValueTask HandleAsync(ReadOnlyMemory<byte> message)
    {
        ReadOnlySpan<byte> json = message.Span;
        var reader = new Utf8JsonReader(json);
        ReadOnlySpan<byte> eventName = default;
        int dataStart = -1;
        int dataEnd = -1;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return default;
                    }

                    eventName = reader.ValueSpan;
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    dataStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    dataEnd = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return default;
        }

        Utf8JsonWriter writer = Writer();
        ReadOnlySpan<byte> data = dataStart < 0 ? default : json[dataStart..dataEnd];
        if (eventName.SequenceEqual("identity"u8))
        {
            var dataReader = new Utf8JsonReader(data);
            dataReader.Read();
            writer.WriteNumberValue(dataReader.GetInt32());
        }
        else if (eventName.SequenceEqual("record"u8))
        {
            Point point = JsonSerializer.Deserialize(data, BenchJsonContext.Default.Point)!;
            JsonSerializer.Serialize(writer, point with { X = point.X + 1 }, BenchJsonContext.Default.Point);
        }
        else if (eventName.SequenceEqual("events"u8))
        {
            var dataReader = new Utf8JsonReader(data);
            dataReader.Read();
            writer.WriteStartObject();
            writer.WriteString("event"u8, "events"u8);
            writer.WriteNumber("data"u8, dataReader.GetInt32());
            writer.WriteEndObject();
        }
        else
        {
            return default;
        }

        writer.Flush();
        ValueTask send = socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, sendToken);
        _buffer.ResetWrittenCount();
        return send;
    }

    private Utf8JsonWriter Writer()
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer);
        }
        else
        {
            _writer.Reset(_buffer);
        }

        return _writer;
    }
}
