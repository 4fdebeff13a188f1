using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>
/// Writes JSON text that Gateway passes through (a <see cref="JsonElement"/> result, the inbound <c>data</c> quoted in
/// an error frame) as a NestJS server writes the same value: <c>JSON.stringify(JSON.parse(text))</c>. White space
/// goes, strings are re-escaped by the writer's <see cref="JsonStringifyEncoder"/> (so <c>"\uC548"</c> becomes
/// "안"), and numbers take JavaScript's shortest form (<c>1.0</c> is <c>1</c>, <c>1e2</c> is <c>100</c>).
/// </summary>
/// <remarks>
/// Known differences, both from how JavaScript objects hold properties: an object with a duplicated name keeps each
/// occurrence (JavaScript keeps the last value at the first place), and names that are array indices
/// (<c>"1"</c>) keep their place (JavaScript moves them first, in numeric order).
/// </remarks>
internal static class JsonStringify
{
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 256 };

    /// <summary>Writes the one JSON value in <paramref name="json"/>.</summary>
    public static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_readerOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                case JsonTokenType.String:
                    WriteText(writer, ref reader);
                    break;
                case JsonTokenType.Number:
                    WriteNumber(writer, reader.ValueSpan);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }
    }

    /// <summary>
    /// Formats a finite double as JavaScript's <c>Number.prototype.toString()</c> does (ECMA-262 Number::toString):
    /// the shortest digits that round-trip, plain up to 21 integer digits and down to 6 leading zeros, otherwise
    /// with an exponent (<c>1e+21</c>, <c>1.5e-7</c>); <c>-0</c> is <c>0</c>.
    /// </summary>
    public static int FormatNumber(double value, Span<byte> destination)
    {
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        Span<char> shortest = stackalloc char[32];
        value.TryFormat(shortest, out int length, "R", CultureInfo.InvariantCulture);
        ReadOnlySpan<char> text = shortest[..length];
        int written = 0;
        if (text[0] == '-')
        {
            destination[written++] = (byte)'-';
            text = text[1..];
        }

        // Split "d.dddE+xx" into its digits s and the exponent n of ECMA-262: value = 0.s × 10^n.
        int e = text.IndexOf('E');
        int exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        ReadOnlySpan<char> mantissa = e < 0 ? text : text[..e];
        int point = mantissa.IndexOf('.');
        Span<char> digits = stackalloc char[32];
        int k = 0;
        int n = (point < 0 ? mantissa.Length : point) + exponent;
        foreach (char c in mantissa)
        {
            if (c == '.')
            {
                continue;
            }

            if (k == 0 && c == '0')
            {
                n--; // a leading zero: the point moves left of the first significant digit
                continue;
            }

            digits[k++] = c;
        }

        while (digits[k - 1] == '0')
        {
            k--;
        }

        ReadOnlySpan<char> s = digits[..k];
        if (k <= n && n <= 21)
        {
            written += Ascii(s, destination[written..]);
            destination.Slice(written, n - k).Fill((byte)'0');
            return written + (n - k);
        }

        if (0 < n && n <= 21)
        {
            written += Ascii(s[..n], destination[written..]);
            destination[written++] = (byte)'.';
            return written + Ascii(s[n..], destination[written..]);
        }

        if (-6 < n && n <= 0)
        {
            destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            destination.Slice(written, -n).Fill((byte)'0');
            written += -n;
            return written + Ascii(s, destination[written..]);
        }

        destination[written++] = (byte)s[0];
        if (k > 1)
        {
            destination[written++] = (byte)'.';
            written += Ascii(s[1..], destination[written..]);
        }

        destination[written++] = (byte)'e';
        destination[written++] = (byte)(n - 1 < 0 ? '-' : '+');
        Math.Abs(n - 1).TryFormat(destination[written..], out int exponentLength, default, CultureInfo.InvariantCulture);
        return written + exponentLength;
    }

    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> number)
    {
        // A JSON number that JSON.parse reads beyond double's range is Infinity, which JSON.stringify writes as null.
        double value = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }

        Span<byte> formatted = stackalloc byte[32];
        writer.WriteRawValue(formatted[..FormatNumber(value, formatted)], skipInputValidation: true);
    }

    /// <summary>
    /// Writes a string or property name. Escaped text is unescaped as <c>JSON.parse</c> does, lone surrogates
    /// included (which the reader refuses; they go on in UTF-8's three-byte form, see
    /// <see cref="JsonStringifyEncoder.TryReadSurrogate"/>), and the writer escapes it again.
    /// </summary>
    private static void WriteText(Utf8JsonWriter writer, ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        byte[]? rented = null;
        if (reader.ValueIsEscaped)
        {
            // Unescaping only shrinks the text.
            rented = ArrayPool<byte>.Shared.Rent(raw.Length);
            raw = rented.AsSpan(0, Unescape(raw, rented));
        }

        try
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                writer.WritePropertyName(raw);
            }
            else
            {
                writer.WriteStringValue(raw);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Unescapes the UTF-8 text of a JSON string (already checked by the reader) into <paramref name="text"/>.</summary>
    private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> text)
    {
        int written = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b != '\\')
            {
                text[written++] = b;
                continue;
            }

            b = raw[++i];
            if (b != 'u')
            {
                text[written++] = b switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => b, // " \ /
                };
                continue;
            }

            int unit = Hex(raw.Slice(i + 1, 4));
            i += 4;
            if (char.IsHighSurrogate((char)unit) && i + 6 < raw.Length && raw[i + 1] == '\\' && raw[i + 2] == 'u'
                && char.IsLowSurrogate((char)Hex(raw.Slice(i + 3, 4))))
            {
                unit = char.ConvertToUtf32((char)unit, (char)Hex(raw.Slice(i + 3, 4)));
                i += 6;
            }

            written += WriteUtf8(unit, text[written..]);
        }

        return written;
    }

    private static int Hex(ReadOnlySpan<byte> digits) =>
        int.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Writes a code point as UTF-8; a surrogate code unit in the same three-byte form as any other.</summary>
    private static int WriteUtf8(int codePoint, Span<byte> destination)
    {
        if (codePoint < 0x80)
        {
            destination[0] = (byte)codePoint;
            return 1;
        }

        if (codePoint < 0x800)
        {
            destination[0] = (byte)(0xC0 | (codePoint >> 6));
            destination[1] = (byte)(0x80 | (codePoint & 0x3F));
            return 2;
        }

        if (codePoint < 0x10000)
        {
            destination[0] = (byte)(0xE0 | (codePoint >> 12));
            destination[1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (codePoint & 0x3F));
            return 3;
        }

        destination[0] = (byte)(0xF0 | (codePoint >> 18));
        destination[1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
        destination[2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        destination[3] = (byte)(0x80 | (codePoint & 0x3F));
        return 4;
    }

    private static int Ascii(ReadOnlySpan<char> text, Span<byte> destination)
    {
        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }
}
