using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>
/// NestJS's <c>ws</c> protocol with inbound messages as <c>["event", data]</c> arrays: what a NestJS app gets with the
/// ws adapter's <c>messageParser</c> (<c>([event, data]) =&gt; ({ event, data })</c>), for clients written that way.
/// Frames going out are NestJS's, as with that parser; <see cref="GatewayMessageFormat.Array"/> selects it.
/// </summary>
internal sealed class NestWsArrayProtocol : NestWsProtocol
{
    public static new readonly NestWsArrayProtocol Instance = new();

    private NestWsArrayProtocol()
    {
    }

    /// <summary>
    /// Reads <c>["event", data, ...]</c> in one pass: the first element names the event (it must be a string), the second,
    /// when present, is the data; further elements are ignored. Such a message carries no correlation id.
    /// </summary>
    public override InboundStatus Parse(
        ReadOnlySpan<byte> message, Span<byte> scratch, out ReadOnlySpan<byte> eventName, out Range data, out Range id)
    {
        eventName = default;
        data = default;
        id = default;
        bool matchable = true;
        var reader = new Utf8JsonReader(message, s_readerOptions);
        try
        {
            if (!TryOpen(ref reader, JsonTokenType.StartArray, out InboundStatus refused))
            {
                return refused;
            }

            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray || !TryReadEventName(ref reader, scratch, out eventName, out matchable))
            {
                // An empty array, or a first element that is not a string: no event, as a message without "event".
                if (!(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0))
                {
                    while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0))
                    {
                    }
                }

                return reader.Read() ? InboundStatus.InvalidJson : InboundStatus.MissingEvent;
            }

            if (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = new Range(start, (int)reader.BytesConsumed);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    reader.Skip();
                }
            }

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

        return matchable ? InboundStatus.Ok : InboundStatus.UnknownEvent;
    }
}
