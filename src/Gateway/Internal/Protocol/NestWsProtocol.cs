using System.Text.Json;

namespace Gateway.Internal;

/// <summary>Why an inbound frame was not dispatched.</summary>
internal enum EnvelopeStatus
{
    Ok,
    InvalidJson,
    NotAnObject,
    MissingEvent,
}

/// <summary>
/// Reads the <c>{"event": string, "data": any}</c> envelope of an inbound frame in one forward pass, without
/// allocating: the event name is a slice of the frame (or of <c>scratch</c> when it was escaped), and
/// <c>data</c> is located as a byte range so handlers deserialize it straight from the frame.
/// </summary>
internal static class MessageEnvelope
{
    public const int MaxEventNameLength = 256;

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 64 };

    public static EnvelopeStatus Parse(
        ReadOnlySpan<byte> utf8Json,
        Span<byte> scratch,
        out ReadOnlySpan<byte> eventName,
        out Range data)
    {
        eventName = default;
        data = default;
        bool hasEvent = false;
        var reader = new Utf8JsonReader(utf8Json, s_readerOptions);
        try
        {
            if (!reader.Read())
            {
                return EnvelopeStatus.InvalidJson;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return reader.Read() ? EnvelopeStatus.InvalidJson : EnvelopeStatus.NotAnObject;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    hasEvent = TryReadEventName(ref reader, scratch, out eventName);
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = new Range(start, (int)reader.BytesConsumed);
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
                return EnvelopeStatus.InvalidJson;
            }
        }
        catch (JsonException)
        {
            eventName = default;
            return EnvelopeStatus.InvalidJson;
        }

        return hasEvent ? EnvelopeStatus.Ok : EnvelopeStatus.MissingEvent;
    }

    private static bool TryReadEventName(scoped ref Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> eventName)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            eventName = default;
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            eventName = reader.ValueSpan;
            return true;
        }

        // An escaped name longer than any handler's cannot match; keep it unmatched rather than allocate.
        if (reader.ValueSpan.Length > scratch.Length)
        {
            eventName = reader.ValueSpan;
            return true;
        }

        int written = reader.CopyString(scratch);
        eventName = scratch[..written];
        return true;
    }
}
