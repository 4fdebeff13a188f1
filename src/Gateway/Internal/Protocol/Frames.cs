using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Internal;

/// <summary>The encoded property names of the wire protocol.</summary>
internal static class WireNames
{
    public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
    public static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    public static readonly JsonEncodedText Exception = JsonEncodedText.Encode("exception");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText Cause = JsonEncodedText.Encode("cause");
    public static readonly JsonEncodedText Pattern = JsonEncodedText.Encode("pattern");
}

/// <summary>A handler's plain result: the JSON of the value itself, no envelope.</summary>
internal readonly struct ValueFrame<T>(T value, JsonTypeInfo<T> typeInfo) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, value, typeInfo);
}

/// <summary><c>{"event":...,"data":...}</c>.</summary>
internal readonly struct EventFrame<T>(string @event, T data, JsonTypeInfo<T> typeInfo) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Event, @event);
        writer.WritePropertyName(WireNames.Data);
        JsonSerializer.Serialize(writer, data, typeInfo);
        writer.WriteEndObject();
    }
}

/// <summary><c>{"event":...}</c>: an event without data.</summary>
internal readonly struct EventOnlyFrame(string @event) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Event, @event);
        writer.WriteEndObject();
    }
}

/// <summary>
/// The <c>exception</c> frame of the protocol (spec section 4): either an object payload, or
/// <c>{"status":"error","message":...,"cause":{"pattern":...,"data":...}}</c>.
/// </summary>
internal readonly struct ExceptionFrame(string message, string? pattern, ReadOnlyMemory<byte> inboundData, WsException? exception)
    : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Event, WireNames.Exception);
        writer.WritePropertyName(WireNames.Data);
        if (exception is { Error: { } error, ErrorTypeInfo: { } errorTypeInfo })
        {
            JsonSerializer.Serialize(writer, error, errorTypeInfo);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString(WireNames.Status, WireNames.Error);
            writer.WriteString(WireNames.Message, message);
            if (pattern is not null)
            {
                writer.WriteStartObject(WireNames.Cause);
                writer.WriteString(WireNames.Pattern, pattern);
                // A missing "data" stays missing, as JSON.stringify drops undefined in NestJS.
                if (!inboundData.IsEmpty)
                {
                    writer.WritePropertyName(WireNames.Data);
                    writer.WriteRawValue(inboundData.Span, skipInputValidation: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
