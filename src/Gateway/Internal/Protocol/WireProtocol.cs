using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>Why an inbound message was not dispatched; <see cref="Ok"/> when it was.</summary>
internal enum InboundStatus
{
    Ok,
    InvalidJson,
    NotAnObject,
    MissingEvent,

    /// <summary>Parsed, but no handler claims the event (set by dispatch, or by <see cref="WireProtocol.Parse"/> for a name no handler's can equal).</summary>
    UnknownEvent,
}

/// <summary>
/// The seam between dispatch and the bytes on the wire: how an inbound message names its event and carries its
/// data, and how each kind of outbound frame is laid out. Dispatch, the outbox and broadcasts only talk to this
/// type, so a second protocol (Socket.IO) is one more subclass. <see cref="NestWsProtocol"/> is the default.
/// </summary>
/// <remarks>
/// Every member is non-generic, so a call is one virtual call (which dynamic PGO turns into a guarded direct
/// call while a process has one protocol) and never a generic virtual method lookup. Payloads are serialized by
/// the frames between a <c>Write...Start</c> and its <c>Write...End</c>, with their <c>JsonTypeInfo</c>, so no
/// value is boxed. Nothing here allocates.
/// </remarks>
internal abstract class WireProtocol
{
    /// <summary>
    /// The options of every writer a frame is written with: strings escaped as <c>JSON.stringify</c> escapes them
    /// (<see cref="JsonStringifyEncoder"/>), no validation (frames are written by code that is correct by construction).
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { SkipValidation = true, Encoder = JsonStringifyEncoder.Instance };

    /// <summary>The scratch space <see cref="Parse"/> needs for an escaped event name; longer names never match.</summary>
    public const int MaxEventNameLength = 256;

    /// <summary>
    /// Reads an inbound message: its event name (a slice of <paramref name="message"/>, or of
    /// <paramref name="scratch"/> when it had to be unescaped) and the byte range of its data in
    /// <paramref name="message"/> (empty when it has none).
    /// </summary>
    /// <remarks>
    /// <paramref name="id"/> is the byte range of the message's correlation id (a string or number the client may send
    /// beside <c>event</c> and <c>data</c>, docs/protocol-extensions.md), empty when it has none.
    /// </remarks>
    public abstract InboundStatus Parse(
        ReadOnlySpan<byte> message, Span<byte> scratch, out ReadOnlySpan<byte> eventName, out Range data, out Range id);

    /// <summary>The <c>reason</c> of a message that was not dispatched, for metrics and logs.</summary>
    public abstract string DropReason(InboundStatus status);

    /// <summary>
    /// Reads the W3C trace context a client may send with a message (read only while an activity listener is
    /// attached); false when the message has none.
    /// </summary>
    public virtual bool TryReadTraceContext(ReadOnlySpan<byte> message, out string? traceParent, out string? traceState)
    {
        traceParent = null;
        traceState = null;
        return false;
    }

    /// <summary>Writes what comes before a reply to a correlated message (<paramref name="id"/>, raw JSON).</summary>
    public abstract void WriteCorrelatedStart(Utf8JsonWriter writer, ReadOnlySpan<byte> id);

    /// <summary>Writes what comes after a correlated reply's data; <paramref name="terminal"/> marks the request's last frame.</summary>
    public abstract void WriteCorrelatedEnd(Utf8JsonWriter writer, bool terminal);

    /// <summary>Writes what comes after the data of an event that answers a correlated message.</summary>
    public abstract void WriteCorrelatedEventEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> id, bool terminal);

    /// <summary>Writes the end of a correlated request that sent no terminal frame (a stream's end, a handler with no result).</summary>
    public abstract void WriteCorrelatedEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> id);

    /// <summary>Writes what comes before a handler's plain result.</summary>
    public abstract void WriteValueStart(Utf8JsonWriter writer);

    /// <summary>Writes what comes after a handler's plain result.</summary>
    public abstract void WriteValueEnd(Utf8JsonWriter writer);

    /// <summary>Writes what comes before the data of the event <paramref name="eventName"/>.</summary>
    public abstract void WriteEventStart(Utf8JsonWriter writer, string eventName);

    /// <summary>Writes what comes after an event's data.</summary>
    public abstract void WriteEventEnd(Utf8JsonWriter writer);

    /// <summary>Writes the event <paramref name="eventName"/> without data.</summary>
    public abstract void WriteEventOnly(Utf8JsonWriter writer, string eventName);

    /// <summary>
    /// Writes an error frame: <paramref name="exception"/>'s object payload when it has one, else
    /// <paramref name="message"/> with the event (<paramref name="pattern"/>) and the raw JSON of the data that
    /// caused it, when known.
    /// </summary>
    /// <remarks>An error answering a correlated message carries its <paramref name="id"/> and ends it.</remarks>
    public abstract void WriteException(
        Utf8JsonWriter writer, string message, string? pattern, ReadOnlySpan<byte> inboundData, WsException? exception, ReadOnlySpan<byte> id);

    /// <summary>
    /// Whether a plain result is sent when the message asked for no answer (NestJS's ws adapter sends it; its
    /// Socket.IO adapter only acknowledges a client that asked for an ack).
    /// </summary>
    public virtual bool SendsUnrequestedValues => true;

    /// <summary>Whether an unknown event is answered (by <see cref="GatewayOptions.ReplyToInvalidMessages"/> or a correlation id).</summary>
    public virtual bool AnswersUnknownEvents => true;

    /// <summary>
    /// Whether only the first reply of a message answers it (a Socket.IO ack is called once; a stream's further items
    /// are dropped, as NestJS's Socket.IO adapter drops them).
    /// </summary>
    public virtual bool AcknowledgesOnce => false;

    /// <summary>Whether the message's id is read whatever <see cref="GatewayOptions.CorrelationIds"/> says (Socket.IO's ack ids).</summary>
    public virtual bool AlwaysCorrelates => false;

    /// <summary>Writes the refusal of a connection by a guard or a connection hook.</summary>
    public virtual void WriteConnectionRefused(Utf8JsonWriter writer, string message, WsException? exception) =>
        WriteException(writer, message, "handleConnection", default, exception, default);

    /// <summary>Writes what comes before the data of an event the client is asked to acknowledge (Socket.IO's <c>emitWithAck</c>).</summary>
    public virtual void WriteEventWithAckStart(Utf8JsonWriter writer, string eventName, long ackId) =>
        throw new NotSupportedException("Acknowledgements from the client need a Socket.IO client; NestJS's ws protocol has none.");

    /// <summary>Writes an event whose data is several arguments (one array here; Socket.IO spreads them).</summary>
    public virtual void WriteArgumentsEvent(Utf8JsonWriter writer, string eventName, GatewayArguments arguments)
    {
        WriteEventStart(writer, eventName);
        writer.WriteStartArray();
        arguments.WriteElements(writer, placeholders: false);
        writer.WriteEndArray();
        WriteEventEnd(writer);
    }

    /// <summary>Writes a correlated reply of several arguments.</summary>
    public virtual void WriteArgumentsReply(Utf8JsonWriter writer, ReadOnlySpan<byte> id, GatewayArguments arguments, bool terminal)
    {
        WriteCorrelatedStart(writer, id);
        writer.WriteStartArray();
        arguments.WriteElements(writer, placeholders: false);
        writer.WriteEndArray();
        WriteCorrelatedEnd(writer, terminal);
    }

    /// <summary>Which top-level arguments of a message arrived as binary (bit n for argument n); none but in Socket.IO.</summary>
    public virtual ulong ReadBinaryArguments(ReadOnlySpan<byte> message) => 0;
}
