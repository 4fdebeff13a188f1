using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>
/// Socket.IO v5 (github.com/socketio/socket.io-protocol) for the connections of one namespace, with NestJS's
/// Socket.IO adapter semantics: events are <c>42/ns,["event",data]</c>; a result acknowledges the message when the
/// client asked for an ack (<c>43/ns,id[result]</c>) and is dropped otherwise; a <see cref="WsResponse{T}"/> is
/// emitted as an event and acknowledges nothing; errors are <c>exception</c> events; unknown events are ignored.
/// </summary>
/// <remarks>
/// A frame is one whole Engine.IO packet (its leading <c>4</c> included), so the session sends it as it is. The
/// messages it reads are those <see cref="SocketIO.SocketIoConnection"/> hands over: an EVENT's ack id, then
/// <c>["event"]</c> or <c>["event", data]</c>, several arguments already gathered into one array (NestJS's binding).
/// Non-JSON prefixes are written raw, then the writer is reset so the JSON after them starts a fresh document.
/// </remarks>
internal sealed class SocketIoProtocol : WireProtocol
{
    private readonly byte[] _event;
    private readonly byte[] _ack;
    private readonly string _nspPrefix;

    public SocketIoProtocol(string @namespace)
    {
        Namespace = @namespace;
        // The default namespace is left out of packets; any other is written with its comma.
        _nspPrefix = @namespace == "/" ? "" : @namespace + ",";
        _event = Encoding.UTF8.GetBytes("42" + _nspPrefix);
        _ack = Encoding.UTF8.GetBytes("43" + _nspPrefix);
    }

    public string Namespace { get; }

    public override bool SendsUnrequestedValues => false;

    public override bool AnswersUnknownEvents => false;

    public override bool AcknowledgesOnce => true;

    public override bool AlwaysCorrelates => true;

    /// <summary>The CONNECT answer: <c>40/ns,{"sid":...}</c>.</summary>
    public byte[] ConnectPacket(string connectionId) => Encoding.UTF8.GetBytes($"40{_nspPrefix}{{\"sid\":\"{connectionId}\"}}");

    /// <summary>The CONNECT answer of a recoverable connection: <c>40/ns,{"sid":...,"pid":...}</c> (the same pid again when recovered).</summary>
    public byte[] ConnectPacket(string connectionId, string pid) =>
        Encoding.UTF8.GetBytes($"40{_nspPrefix}{{\"sid\":\"{connectionId}\",\"pid\":\"{pid}\"}}");

    /// <summary>The server leaving the namespace: <c>41/ns,</c>.</summary>
    public byte[] DisconnectPacket() => Encoding.UTF8.GetBytes("41" + _nspPrefix);

    /// <summary>A refused CONNECT: <c>44/ns,{"message":...}</c>.</summary>
    public byte[] ConnectErrorPacket(string message) => ConnectErrorPacket(Namespace, message);

    public static byte[] ConnectErrorPacket(string @namespace, string message)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                WriteRaw(writer, Encoding.UTF8.GetBytes("44" + (@namespace == "/" ? "" : @namespace + ",")));
                writer.WriteStartObject();
                writer.WriteString("message"u8, message);
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.Clear();
        }
    }

    public static bool IsConnectError(ReadOnlySpan<byte> packet) => packet.StartsWith("44"u8);

    /// <summary>Reads an EVENT handed over by the session: its ack id (digits, none when absent), then the array.</summary>
    public override InboundStatus Parse(
        ReadOnlySpan<byte> message, Span<byte> scratch, out ReadOnlySpan<byte> eventName, out Range data, out Range id)
    {
        int start = message.Length > 0 && message[0] == (byte)'b' ? message.IndexOf((byte)':') + 1 : 0;
        int digits = start;
        while (digits < message.Length && char.IsAsciiDigit((char)message[digits]))
        {
            digits++;
        }

        InboundStatus status = NestWsArrayProtocol.Instance.Parse(message[digits..], scratch, out eventName, out data, out _);
        id = digits == start ? default : new Range(start, digits);
        if (data.End.Value > data.Start.Value)
        {
            data = new Range(data.Start.Value + digits, data.End.Value + digits);
        }

        return status;
    }

    public override string DropReason(InboundStatus status) => NestWsArrayProtocol.Instance.DropReason(status);

    public override void WriteValueStart(Utf8JsonWriter writer)
    {
    }

    public override void WriteValueEnd(Utf8JsonWriter writer)
    {
    }

    // An ack: 43/ns,<id>[value]. Only the first reply of a message gets here (AcknowledgesOnce).
    public override void WriteCorrelatedStart(Utf8JsonWriter writer, ReadOnlySpan<byte> id)
    {
        WriteRaw(writer, _ack);
        WriteRaw(writer, id);
        writer.WriteStartArray();
    }

    public override void WriteCorrelatedEnd(Utf8JsonWriter writer, bool terminal) => writer.WriteEndArray();

    // A WsResponse answering an ack request is emitted as an event and acknowledges nothing (NestJS's io adapter).
    public override void WriteCorrelatedEventEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> id, bool terminal) => writer.WriteEndArray();

    // Socket.IO has no end marker: an ack ends its request, and a request nothing acknowledged stays unanswered.
    public override void WriteCorrelatedEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> id)
    {
    }

    public override void WriteEventStart(Utf8JsonWriter writer, string eventName)
    {
        WriteRaw(writer, _event);
        writer.WriteStartArray();
        writer.WriteStringValue(eventName);
    }

    public override void WriteEventWithAckStart(Utf8JsonWriter writer, string eventName, long ackId)
    {
        WriteRaw(writer, _event);
        Span<byte> digits = stackalloc byte[20];
        ackId.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        WriteRaw(writer, digits[..written]);
        writer.WriteStartArray();
        writer.WriteStringValue(eventName);
    }

    public override void WriteEventEnd(Utf8JsonWriter writer) => writer.WriteEndArray();

    public override void WriteEventOnly(Utf8JsonWriter writer, string eventName)
    {
        WriteEventStart(writer, eventName);
        writer.WriteEndArray();
    }

    /// <summary>The <c>exception</c> event with NestJS's payload; it never acknowledges (NestJS's io adapter calls no ack on error).</summary>
    public override void WriteException(
        Utf8JsonWriter writer, string message, string? pattern, ReadOnlySpan<byte> inboundData, WsException? exception, ReadOnlySpan<byte> id)
    {
        WriteEventStart(writer, "exception");
        NestWsProtocol.WriteExceptionPayload(writer, message, pattern, inboundData, exception);
        writer.WriteEndArray();
    }

    /// <summary>CONNECT_ERROR: <c>44/ns,{"message":...}</c>, with the exception's object payload as <c>data</c>.</summary>
    public override void WriteConnectionRefused(Utf8JsonWriter writer, string message, WsException? exception)
    {
        WriteRaw(writer, Encoding.UTF8.GetBytes("44" + _nspPrefix));
        writer.WriteStartObject();
        writer.WriteString("message"u8, message);
        if (exception is { Error: { } error, ErrorTypeInfo: { } errorTypeInfo })
        {
            writer.WritePropertyName("data"u8);
            JsonSerializer.Serialize(writer, error, errorTypeInfo);
        }

        writer.WriteEndObject();
    }

    /// <summary>An event of several arguments, spread; with binary ones, a BINARY_EVENT (<c>45&lt;n&gt;-</c>) and its attachments.</summary>
    public override void WriteArgumentsEvent(Utf8JsonWriter writer, string eventName, GatewayArguments arguments)
    {
        int binary = arguments.BinaryCount;
        WriteRaw(writer, binary == 0 ? _event : Encoding.UTF8.GetBytes($"45{binary}-{_nspPrefix}"));
        writer.WriteStartArray();
        writer.WriteStringValue(eventName);
        arguments.WriteElements(writer, placeholders: true);
        writer.WriteEndArray();
        WriteAttachments(writer, arguments);
    }

    /// <summary>An ack of several arguments (<c>43/ns,id[a,b]</c>); with binary ones, a BINARY_ACK (<c>46&lt;n&gt;-</c>).</summary>
    public override void WriteArgumentsReply(Utf8JsonWriter writer, ReadOnlySpan<byte> id, GatewayArguments arguments, bool terminal)
    {
        int binary = arguments.BinaryCount;
        WriteRaw(writer, binary == 0 ? _ack : Encoding.UTF8.GetBytes($"46{binary}-{_nspPrefix}"));
        WriteRaw(writer, id);
        writer.WriteStartArray();
        arguments.WriteElements(writer, placeholders: true);
        writer.WriteEndArray();
        WriteAttachments(writer, arguments);
    }

    // After the packet's text: a NUL, then each attachment as its 4-byte big-endian length and its bytes; the session
    // sends them as binary messages (or base64 packets when polling).
    private static void WriteAttachments(Utf8JsonWriter writer, GatewayArguments arguments)
    {
        if (arguments.BinaryCount == 0)
        {
            return;
        }

        var blob = new ArrayBufferWriter<byte>();
        blob.Write([(byte)0]);
        foreach (byte[] attachment in arguments.Attachments)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(blob.GetSpan(4), attachment.Length);
            blob.Advance(4);
            blob.Write(attachment);
        }

        Restart(writer);
        WriteRaw(writer, blob.WrittenSpan);
    }

    /// <summary>The mask <see cref="SocketIO.SocketIoPacket.WriteEvent"/> writes before the ack id (<c>b&lt;mask&gt;:</c>) when arguments were binary.</summary>
    public override ulong ReadBinaryArguments(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty || message[0] != (byte)'b')
        {
            return 0;
        }

        int colon = message.IndexOf((byte)':');
        return colon > 1 && ulong.TryParse(message[1..colon], System.Globalization.NumberStyles.None, null, out ulong mask) ? mask : 0;
    }

    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.WriteRawValue(bytes, skipInputValidation: true);
        Restart(writer);
    }

    // The bytes written so far stay in the buffer; the writer forgets it wrote a value, so no separator follows.
    private static void Restart(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset();
    }
}
