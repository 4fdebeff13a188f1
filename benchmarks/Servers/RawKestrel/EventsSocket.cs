using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace RawKestrel;

/// <summary>
/// The Events sample's protocol (NestJS <c>ws</c> adapter: <c>{"event":"...","data":...}</c> in, the handler's
/// result out) written by hand on Kestrel's WebSockets, the way a careful developer would: one receive loop per
/// connection with a pooled buffer that joins fragments, <see cref="Utf8JsonReader"/> to find the event and its
/// data, <see cref="Utf8JsonWriter"/> into a reused buffer for the reply. Unknown events and malformed messages
/// are dropped silently.
/// </summary>
public static class EventsSocket
{
    private const int InitialBufferSize = 4096;
    private const int MaxMessageSize = 1024 * 1024;

    public static async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        CancellationToken aborted = context.RequestAborted;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var reply = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(reply);
        int count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageSize)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", aborted);
                        return;
                    }

                    byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, aborted);
                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                reply.ResetWrittenCount();
                writer.Reset(reply);
                bool answer = Dispatch(buffer.AsSpan(0, count), writer);
                count = 0;
                if (answer)
                {
                    writer.Flush();
                    await socket.SendAsync(reply.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, aborted);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the reply to <paramref name="message"/>, if it has one.</summary>
    private static bool Dispatch(ReadOnlySpan<byte> message, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 64 });
        Event handler = Event.None;
        int dataStart = -1;
        int dataEnd = -1;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    handler = reader.ValueTextEquals("identity"u8) ? Event.Identity
                        : reader.ValueTextEquals("events"u8) ? Event.Events
                        : Event.Unknown;
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

            // The object must be complete and alone: reading on validates the rest of the message.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        switch (handler)
        {
            case Event.Identity:
                ReadOnlySpan<byte> data = dataStart < 0 ? default : message[dataStart..dataEnd];
                if (data.IsEmpty)
                {
                    writer.WriteNumberValue(0);
                }
                else if (TryReadInt32(data, out int value))
                {
                    writer.WriteNumberValue(value);
                }
                else
                {
                    WriteInvalidPayload(writer, "identity"u8, data);
                }

                return true;
            case Event.Events:
                writer.WriteStartObject();
                writer.WriteString("event"u8, "events"u8);
                writer.WriteStartArray("data"u8);
                writer.WriteNumberValue(1);
                writer.WriteNumberValue(2);
                writer.WriteNumberValue(3);
                writer.WriteEndArray();
                writer.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadInt32(ReadOnlySpan<byte> json, out int value)
    {
        var reader = new Utf8JsonReader(json);
        value = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    private static void WriteInvalidPayload(Utf8JsonWriter writer, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> data)
    {
        writer.WriteStartObject();
        writer.WriteString("event"u8, "exception"u8);
        writer.WriteStartObject("data"u8);
        writer.WriteString("status"u8, "error"u8);
        writer.WriteString("message"u8, "Invalid payload"u8);
        writer.WriteStartObject("cause"u8);
        writer.WriteString("pattern"u8, pattern);
        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(data, skipInputValidation: true);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private enum Event
    {
        None,
        Unknown,
        Identity,
        Events,
    }
}
