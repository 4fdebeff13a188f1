using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Gateway.Internal.SocketIO;

/// <summary>The header of a Socket.IO v5 packet: <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][payload]</c>.</summary>
internal readonly record struct SocketIoPacket(int Type, int Attachments, string Namespace, long AckId, int PayloadStart)
{
    public const int Connect = 0;
    public const int Disconnect = 1;
    public const int Event = 2;
    public const int Ack = 3;
    public const int ConnectError = 4;
    public const int BinaryEvent = 5;
    public const int BinaryAck = 6;

    /// <summary>More attachments than this in one packet close the session (socket.io-parser has no bound; a server needs one).</summary>
    public const int MaxAttachments = 64;

    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64 };

    public bool HasAck => AckId >= 0;

    /// <summary>Reads the header as socket.io-parser's decoder does; a malformed one throws <see cref="EngineIoProtocolException"/>.</summary>
    public static SocketIoPacket Parse(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text[0] is < (byte)'0' or > (byte)'6')
        {
            throw new EngineIoProtocolException("An unknown Socket.IO packet type.");
        }

        int type = text[0] - '0';
        int i = 1;
        int attachments = 0;
        if (type is BinaryEvent or BinaryAck)
        {
            int dash = text[1..].IndexOf((byte)'-');
            if (dash <= 0 || !int.TryParse(text.Slice(1, dash), System.Globalization.NumberStyles.None, null, out attachments)
                || attachments > MaxAttachments)
            {
                throw new EngineIoProtocolException("Illegal attachments.");
            }

            i = 1 + dash + 1;
        }

        string @namespace = "/";
        if (i < text.Length && text[i] == (byte)'/')
        {
            int comma = text[i..].IndexOf((byte)',');
            int end = comma < 0 ? text.Length : i + comma;
            @namespace = System.Text.Encoding.UTF8.GetString(text[i..end]);
            i = comma < 0 ? text.Length : end + 1;
        }

        long ackId = -1;
        int digits = 0;
        while (i + digits < text.Length && char.IsAsciiDigit((char)text[i + digits]))
        {
            digits++;
        }

        if (digits > 0)
        {
            if (digits > 15 || !long.TryParse(text.Slice(i, digits), System.Globalization.NumberStyles.None, null, out ackId))
            {
                throw new EngineIoProtocolException("An ack id out of range.");
            }

            i += digits;
        }

        return new SocketIoPacket(type, attachments, @namespace, ackId, i);
    }

    /// <summary>Checks the payload as socket.io-parser's <c>isPayloadValid</c> does; an invalid one throws.</summary>
    public void Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            if (Type is Connect or Disconnect)
            {
                return;
            }

            throw new EngineIoProtocolException("A packet without its payload.");
        }

        var reader = new Utf8JsonReader(payload, s_options);
        try
        {
            reader.Read();
            JsonTokenType first = reader.TokenType;
            bool valid = Type switch
            {
                Connect => first == JsonTokenType.StartObject,
                Event or BinaryEvent => first == JsonTokenType.StartArray && IsEventName(reader),
                Ack or BinaryAck => first == JsonTokenType.StartArray,
                ConnectError => first is JsonTokenType.StartObject or JsonTokenType.String,
                _ => false,
            };
            reader.Skip();
            if (!valid || reader.Read())
            {
                throw new EngineIoProtocolException("An invalid payload.");
            }
        }
        catch (JsonException)
        {
            throw new EngineIoProtocolException("A payload that is not JSON.");
        }
    }

    // The first element of an EVENT names it: a string other than the reserved names, or a number.
    private static bool IsEventName(Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            return true;
        }

        return reader.TokenType == JsonTokenType.String
            && !reader.ValueTextEquals("connect"u8) && !reader.ValueTextEquals("connect_error"u8)
            && !reader.ValueTextEquals("disconnect"u8) && !reader.ValueTextEquals("disconnecting"u8)
            && !reader.ValueTextEquals("newListener"u8) && !reader.ValueTextEquals("removeListener"u8);
    }

    /// <summary>
    /// Writes an EVENT as the gateway connection reads it: its ack id, then <c>["event"]</c> with no argument,
    /// <c>["event", a]</c> with one, <c>["event", [a, b, ...]]</c> with several (NestJS binds them as an array). Binary
    /// attachments replace their placeholders as base64 strings, so they bind to <c>byte[]</c>.
    /// </summary>
    public static void WriteEvent(ReadOnlySpan<byte> payload, long ackId, IReadOnlyList<byte[]>? attachments, IBufferWriter<byte> output)
    {
        // Which arguments are whole attachments, for a GatewayArguments body (b<mask>:, read by the protocol).
        if (attachments is { Count: > 0 } && BinaryArguments(payload) is > 0 and var mask)
        {
            output.Write(System.Text.Encoding.ASCII.GetBytes($"b{mask}:"));
        }

        if (ackId >= 0)
        {
            Span<byte> digits = output.GetSpan(20);
            ackId.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            output.Advance(written);
        }

        var reader = new Utf8JsonReader(payload, s_options);
        reader.Read(); // [
        reader.Read(); // the event name
        int nameStart = (int)reader.TokenStartIndex;
        reader.Skip();
        int nameEnd = (int)reader.BytesConsumed;
        Utf8JsonReader arguments = reader;
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        output.Write("["u8);
        output.Write(payload[nameStart..nameEnd]);
        if (count > 1)
        {
            output.Write(",["u8);
        }

        for (int i = 0; i < count; i++)
        {
            arguments.Read();
            int start = (int)arguments.TokenStartIndex;
            arguments.Skip();
            if (i > 0 || count == 1)
            {
                output.Write(","u8);
            }

            WriteSubstituted(payload[start..(int)arguments.BytesConsumed], attachments, output);
        }

        output.Write(count > 1 ? "]]"u8 : "]"u8);
    }

    private static ulong BinaryArguments(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, s_options);
        reader.Read();
        reader.Read();
        reader.Skip();
        ulong mask = 0;
        for (int index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            Utf8JsonReader lookahead = reader;
            if (index < 64 && reader.TokenType == JsonTokenType.StartObject && TryReadPlaceholder(ref lookahead, out _))
            {
                mask |= 1UL << index;
            }

            reader.Skip();
        }

        return mask;
    }

    /// <summary>Writes the arguments of an ACK (a JSON array), attachments substituted.</summary>
    public static byte[] ArgumentsOf(ReadOnlySpan<byte> payload, IReadOnlyList<byte[]>? attachments)
    {
        var output = new ArrayBufferWriter<byte>(payload.Length + 16);
        WriteSubstituted(payload, attachments, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Copies JSON, replacing each <c>{"_placeholder":true,"num":n}</c> with the base64 of attachment n.</summary>
    private static void WriteSubstituted(ReadOnlySpan<byte> json, IReadOnlyList<byte[]>? attachments, IBufferWriter<byte> output)
    {
        if (attachments is null || attachments.Count == 0)
        {
            output.Write(json);
            return;
        }

        var reader = new Utf8JsonReader(json, s_options);
        int copied = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                continue;
            }

            int start = (int)reader.TokenStartIndex;
            Utf8JsonReader lookahead = reader;
            if (TryReadPlaceholder(ref lookahead, out int number))
            {
                if ((uint)number >= (uint)attachments.Count)
                {
                    throw new EngineIoProtocolException("A placeholder of an attachment that does not exist.");
                }

                output.Write(json[copied..start]);
                byte[] bytes = attachments[number];
                Span<byte> span = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(bytes.Length) + 2);
                span[0] = (byte)'"';
                Base64.EncodeToUtf8(bytes, span[1..], out _, out int written);
                span[1 + written] = (byte)'"';
                output.Advance(written + 2);
                reader = lookahead;
                copied = (int)reader.BytesConsumed;
            }
        }

        output.Write(json[copied..]);
    }

    private static bool TryReadPlaceholder(ref Utf8JsonReader reader, out int number)
    {
        number = -1;
        bool placeholder = false;
        for (int i = 0; i < 2; i++)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            if (reader.ValueTextEquals("_placeholder"u8))
            {
                reader.Read();
                placeholder = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("num"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out number))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return placeholder && number >= 0 && reader.Read() && reader.TokenType == JsonTokenType.EndObject;
    }
}
