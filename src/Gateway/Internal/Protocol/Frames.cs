using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Internal.Protocol;

/// <summary>A handler's plain result (in the NestJS protocol, the JSON of the value itself, no envelope).</summary>
internal readonly struct ValueFrame<T>(T value, JsonTypeInfo<T> typeInfo) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol)
    {
        if (!protocol.SendsUnrequestedValues)
        {
            return;
        }

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
        if (data is GatewayArguments arguments)
        {
            protocol.WriteArgumentsEvent(writer, @event, arguments);
            return;
        }

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
internal readonly struct ExceptionFrame(
    string message, string? pattern, ReadOnlyMemory<byte> inboundData, WsException? exception, ReadOnlyMemory<byte> id = default)
    : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol) =>
        protocol.WriteException(writer, message, pattern, inboundData.Span, exception, id.Span);
}

/// <summary>
/// A handler's plain result, or one item of its stream: as <see cref="ValueFrame{T}"/> for a message without a
/// correlation id; for one with, wrapped with the id, and marked as the request's last frame when <paramref name="terminal"/>.
/// </summary>
internal readonly struct ReplyFrame<T>(T value, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> id, bool terminal) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol)
    {
        if (id.IsEmpty)
        {
            if (!protocol.SendsUnrequestedValues)
            {
                return;
            }

            protocol.WriteValueStart(writer);
            JsonSerializer.Serialize(writer, value, typeInfo);
            protocol.WriteValueEnd(writer);
            return;
        }

        if (value is GatewayArguments arguments)
        {
            protocol.WriteArgumentsReply(writer, id.Span, arguments, terminal);
            return;
        }

        protocol.WriteCorrelatedStart(writer, id.Span);
        JsonSerializer.Serialize(writer, value, typeInfo);
        protocol.WriteCorrelatedEnd(writer, terminal);
    }
}

/// <summary>A <see cref="WsResponse{T}"/> result or stream item: <see cref="EventFrame{T}"/>, with the correlation id when there is one.</summary>
internal readonly struct ReplyEventFrame<T>(string @event, T data, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> id, bool terminal) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol)
    {
        protocol.WriteEventStart(writer, @event);
        JsonSerializer.Serialize(writer, data, typeInfo);
        if (id.IsEmpty)
        {
            protocol.WriteEventEnd(writer);
        }
        else
        {
            protocol.WriteCorrelatedEventEnd(writer, id.Span, terminal);
        }
    }
}

/// <summary>The end of a correlated request that sent no terminal frame: <c>{"id":...,"end":true}</c>.</summary>
internal readonly struct CorrelatedEndFrame(ReadOnlyMemory<byte> id) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol) => protocol.WriteCorrelatedEnd(writer, id.Span);
}

/// <summary>The refusal of a connection by a guard or a connection hook (Socket.IO's CONNECT_ERROR).</summary>
internal readonly struct ConnectionRefusedFrame(string message, WsException? exception) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol) => protocol.WriteConnectionRefused(writer, message, exception);
}

/// <summary>An event the client is asked to acknowledge with <paramref name="ackId"/> (Socket.IO's <c>emitWithAck</c>).</summary>
internal readonly struct AckRequestFrame<T>(string @event, T data, JsonTypeInfo<T> typeInfo, long ackId) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol)
    {
        protocol.WriteEventWithAckStart(writer, @event, ackId);
        JsonSerializer.Serialize(writer, data, typeInfo);
        protocol.WriteEventEnd(writer);
    }
}

/// <summary>Bytes written as they are (Socket.IO's CONNECT answer).</summary>
internal readonly struct RawFrame(byte[] bytes) : IOutboundFrame
{
    public void Write(Utf8JsonWriter writer, WireProtocol protocol) => writer.WriteRawValue(bytes, skipInputValidation: true);
}
