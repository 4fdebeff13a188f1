using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>
/// NestJS's <c>ws</c> adapter protocol, byte for byte (the spec nest-ws-protocol.md): inbound
/// <c>{"event": string, "data": any}</c>; replies are the JSON of the value itself; events are
/// <c>{"event":...,"data":...}</c>; errors are <c>exception</c> events.
/// </summary>
internal class NestWsProtocol : WireProtocol
{
    public static readonly NestWsProtocol Instance = new();

    private protected static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 64 };

    private protected NestWsProtocol()
    {
    }

    /// <summary>
    /// Reads the envelope in one forward pass, without allocating: the event name is a slice of the frame (or of
    /// <c>scratch</c> when it was escaped), and <c>data</c> is located as a byte range so handlers deserialize it
    /// straight from the frame.
    /// </summary>
    public override InboundStatus Parse(
        ReadOnlySpan<byte> message, Span<byte> scratch, out ReadOnlySpan<byte> eventName, out Range data, out Range id)
    {
        eventName = default;
        data = default;
        id = default;
        bool hasEvent = false;
        bool matchable = true;
        var reader = new Utf8JsonReader(message, s_readerOptions);
        try
        {
            if (!TryOpen(ref reader, JsonTokenType.StartObject, out InboundStatus refused))
            {
                return refused;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (MessageData.NameEquals(ref reader, "event"u8))
                {
                    reader.Read();
                    hasEvent = TryReadEventName(ref reader, scratch, out eventName, out matchable);
                }
                else if (MessageData.NameEquals(ref reader, "data"u8))
                {
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = new Range(start, (int)reader.BytesConsumed);
                }
                else if (MessageData.NameEquals(ref reader, "id"u8))
                {
                    // A correlation id is a string or a number, echoed as sent; any other value is no id (NestJS
                    // ignores the property either way).
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    bool usable = reader.TokenType is JsonTokenType.String or JsonTokenType.Number;
                    reader.Skip();
                    id = usable ? new Range(start, (int)reader.BytesConsumed) : default;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Anything after the closing brace but white space makes the frame invalid JSON (the reader throws).
            if (reader.Read())
            {
                return InboundStatus.InvalidJson;
            }
        }
        catch (JsonException)
        {
            eventName = default;
            return InboundStatus.InvalidJson;
        }

        return !hasEvent ? InboundStatus.MissingEvent : matchable ? InboundStatus.Ok : InboundStatus.UnknownEvent;
    }

    /// <summary>
    /// Reads the message's first token, which must open <paramref name="container"/> (the envelope's object, or the
    /// array of <see cref="NestWsArrayProtocol"/>); otherwise says why the message is refused: not JSON, or JSON of
    /// another shape.
    /// </summary>
    private protected static bool TryOpen(ref Utf8JsonReader reader, JsonTokenType container, out InboundStatus refused)
    {
        refused = InboundStatus.Ok;
        if (!reader.Read())
        {
            refused = InboundStatus.InvalidJson;
            return false;
        }

        if (reader.TokenType != container)
        {
            reader.Skip();
            refused = reader.Read() ? InboundStatus.InvalidJson : InboundStatus.NotAnObject;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The optional <c>traceparent</c> and <c>tracestate</c> string properties beside <c>event</c> and <c>data</c>
    /// (docs/observability.md); NestJS ignores them, so clients may send them to either server.
    /// </summary>
    public override bool TryReadTraceContext(ReadOnlySpan<byte> message, out string? traceParent, out string? traceState)
    {
        traceParent = null;
        traceState = null;
        var reader = new Utf8JsonReader(message);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isParent = reader.ValueTextEquals("traceparent"u8);
                bool isState = !isParent && reader.ValueTextEquals("tracestate"u8);
                reader.Read();
                if ((isParent || isState) && reader.TokenType == JsonTokenType.String)
                {
                    if (isParent)
                    {
                        traceParent = reader.GetString();
                    }
                    else
                    {
                        traceState = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate in a trace field: not a trace context.
            return false;
        }

        return traceParent is not null;
    }

    public override string DropReason(InboundStatus status) => status switch
    {
        InboundStatus.InvalidJson => "invalid_json",
        InboundStatus.NotAnObject => "not_an_object",
        InboundStatus.MissingEvent => "missing_event",
        _ => "unknown_event",
    };

    public override void WriteValueStart(Utf8JsonWriter writer)
    {
    }

    // docs/protocol-extensions.md: {"id":<id>,"data":<value>,"end":true}, items without "end", and {"id":<id>,"end":true}.
    public override void WriteCorrelatedStart(Utf8JsonWriter writer, ReadOnlySpan<byte> id)
    {
        writer.WriteStartObject();
        WriteId(writer, id);
        writer.WritePropertyName(WireNames.Data);
    }

    public override void WriteCorrelatedEnd(Utf8JsonWriter writer, bool terminal)
    {
        if (terminal)
        {
            writer.WriteBoolean(WireNames.End, true);
        }

        writer.WriteEndObject();
    }

    public override void WriteCorrelatedEventEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> id, bool terminal)
    {
        WriteId(writer, id);
        WriteCorrelatedEnd(writer, terminal);
    }

    public override void WriteCorrelatedEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> id)
    {
        writer.WriteStartObject();
        WriteId(writer, id);
        writer.WriteBoolean(WireNames.End, true);
        writer.WriteEndObject();
    }

    // The id's own JSON token, as the client wrote it (the reader checked it is one string or number).
    private static void WriteId(Utf8JsonWriter writer, ReadOnlySpan<byte> id)
    {
        writer.WritePropertyName(WireNames.Id);
        writer.WriteRawValue(id, skipInputValidation: true);
    }

    public override void WriteValueEnd(Utf8JsonWriter writer)
    {
    }

    public override void WriteEventStart(Utf8JsonWriter writer, string eventName)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Event, eventName);
        writer.WritePropertyName(WireNames.Data);
    }

    public override void WriteEventEnd(Utf8JsonWriter writer) => writer.WriteEndObject();

    public override void WriteEventOnly(Utf8JsonWriter writer, string eventName)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Event, eventName);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The <c>exception</c> event (spec section 4): either the object payload of the <see cref="WsException"/>, or
    /// <c>{"status":"error","message":...,"cause":{"pattern":...,"data":...}}</c>.
    /// </summary>
    public override void WriteException(
        Utf8JsonWriter writer, string message, string? pattern, ReadOnlySpan<byte> inboundData, WsException? exception, ReadOnlySpan<byte> id)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Event, WireNames.Exception);
        writer.WritePropertyName(WireNames.Data);
        WriteExceptionPayload(writer, message, pattern, inboundData, exception);
        if (!id.IsEmpty)
        {
            WriteId(writer, id);
            writer.WriteBoolean(WireNames.End, true);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The data of an <c>exception</c> event, which both of NestJS's adapters send alike: the object payload of the
    /// <see cref="WsException"/>, or <c>{"status":"error","message":...,"cause":{"pattern":...,"data":...}}</c>.
    /// </summary>
    internal static void WriteExceptionPayload(
        Utf8JsonWriter writer, string message, string? pattern, ReadOnlySpan<byte> inboundData, WsException? exception)
    {
        if (exception is { Error: { } error, ErrorTypeInfo: { } errorTypeInfo })
        {
            JsonSerializer.Serialize(writer, error, errorTypeInfo);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString(WireNames.Status, WireNames.Error);
            writer.WriteString(WireNames.Message, message);
            exception?.WriteDetails(writer);
            if (pattern is not null)
            {
                writer.WriteStartObject(WireNames.Cause);
                writer.WriteString(WireNames.Pattern, pattern);
                // A missing "data" stays missing, as JSON.stringify drops undefined in NestJS; the data the client
                // sent is written as NestJS writes what it parsed.
                if (!inboundData.IsEmpty)
                {
                    writer.WritePropertyName(WireNames.Data);
                    JsonStringify.WriteValue(writer, inboundData);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
    }

    /// <remarks>
    /// A name that no handler's can equal is returned as its escaped text, marked not <paramref name="matchable"/>:
    /// one longer escaped than the scratch space (longer than any handler's), or one with an escape that is no
    /// UTF-8 text (a lone surrogate such as <c>\ud800</c>, which <c>JSON.parse</c> accepts, so NestJS treats the
    /// frame as an unknown event, not as invalid JSON).
    /// </remarks>
    private protected static bool TryReadEventName(
        scoped ref Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> eventName, out bool matchable)
    {
        matchable = true;
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            eventName = default;
            return false;
        }

        eventName = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return true;
        }

        if (reader.ValueSpan.Length > scratch.Length)
        {
            matchable = false;
            return true;
        }

        try
        {
            eventName = scratch[..reader.CopyString(scratch)];
        }
        catch (InvalidOperationException)
        {
            matchable = false;
        }

        return true;
    }

    /// <summary>The encoded property names of the protocol.</summary>
    private static class WireNames
    {
        public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
        public static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
        public static readonly JsonEncodedText Exception = JsonEncodedText.Encode("exception");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText End = JsonEncodedText.Encode("end");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
        public static readonly JsonEncodedText Cause = JsonEncodedText.Encode("cause");
        public static readonly JsonEncodedText Pattern = JsonEncodedText.Encode("pattern");
    }
}
