using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Internal.Protocol;

/// <summary>A handler's plain result (in the NestJS protocol, the JSON of the value itself, no envelope).</summary>
internal readonly struct ValueFrame<T>(T value, JsonTypeInfo<T> typeInfo) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol)
    {
        protocol.WriteValueStart(writer);
        JsonSerializer.Serialize(writer, value, typeInfo);
        protocol.WriteValueEnd(writer);
    }
}

/// <summary>An event with data (<c>{"event":...,"data":...}</c>).</summary>
internal readonly struct EventFrame<T>(string @event, T data, JsonTypeInfo<T> typeInfo) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol)
    {
        protocol.WriteEventStart(writer, @event);
        JsonSerializer.Serialize(writer, data, typeInfo);
        protocol.WriteEventEnd(writer);
    }
}

/// <summary>An event without data (<c>{"event":...}</c>).</summary>
internal readonly struct EventOnlyFrame(string @event) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol) => protocol.WriteEventOnly(writer, @event);
}

/// <summary>An error frame (spec section 4); see <see cref="WireProtocol.WriteException"/>.</summary>
internal readonly struct ExceptionFrame(string message, string? pattern, ReadOnlyMemory<byte> inboundData, WsException? exception)
    : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol) =>
        protocol.WriteException(writer, message, pattern, inboundData.Span, exception);
}
