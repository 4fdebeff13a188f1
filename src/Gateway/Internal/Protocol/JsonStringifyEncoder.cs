using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Gateway.Internal.Protocol;

/// <summary>
/// Escapes strings exactly as JavaScript's <c>JSON.stringify</c> does, so frames are byte-identical to a NestJS
/// server's: <c>"</c> and <c>\</c>, control characters (<c>\b \t \n \f \r</c>, else <c>\u00xx</c>) and lone
/// surrogates (<c>\udxxx</c>) are escaped, everything else (<c>&lt;</c>, <c>&amp;</c>, <c>'</c>, Hangul, emoji,
/// U+2028) is written as UTF-8. Safe for WebSocket frames, which are never embedded in HTML or script; the
/// built-in encoders escape far more because their output may be.
/// </summary>
/// <remarks>
/// Text that is not valid UTF-8 is written with U+FFFD in place of each invalid sequence, as Node's
/// <c>Buffer.toString()</c> reads it, so every frame is valid UTF-8 (RFC 6455 §8.1); the one exception is a lone
/// surrogate in UTF-8's three-byte form, which <see cref="JsonStringify"/> uses to pass one through (see
/// <see cref="TryReadSurrogate"/>). A lone surrogate in a .NET string reaches an encoder only as U+FFFD (the base
/// class decodes UTF-16 before it asks, and cannot be overridden there), so it is written as U+FFFD where
/// <c>JSON.stringify</c> writes <c>\udxxx</c>. The writer asks for whole values, so the end of the input is always
/// the end of the text.
/// </remarks>
internal sealed class JsonStringifyEncoder : JavaScriptEncoder
{
    public static readonly JsonStringifyEncoder Instance = new();

    private static readonly SearchValues<byte> s_asciiToEscape = SearchValues.Create(AsciiToEscape());

    // Surrogates are candidates: a pair is written as it is, a lone one is escaped.
    private static readonly SearchValues<char> s_charsToCheck =
        SearchValues.Create(Encoding.Latin1.GetString(AsciiToEscape()) + RangeOf('\uD800', '\uDFFF'));

    private static ReadOnlySpan<byte> ReplacementCharacter => "\uFFFD"u8;

    private JsonStringifyEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirstCharacterToEncode(new ReadOnlySpan<char>(text, textLength));

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int index = utf8Text.IndexOfAny(s_asciiToEscape);
        ReadOnlySpan<byte> before = index < 0 ? utf8Text : utf8Text[..index];
        return Utf8.IsValid(before) ? index : IndexOfInvalidUtf8(before);
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        if (WillEncode(unicodeScalar))
        {
            return TryEscape((char)unicodeScalar, destination, out numberOfCharactersWritten);
        }

        if (!Rune.TryCreate(unicodeScalar, out Rune rune))
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        return rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten);
    }

    public override OperationStatus EncodeUtf8(
        ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock = true)
    {
        int read = 0;
        int written = 0;
        Span<char> escape = stackalloc char[6];
        while (read < utf8Source.Length)
        {
            OperationStatus status = Rune.DecodeFromUtf8(utf8Source[read..], out Rune rune, out int length);
            bool ok;
            int count;
            if (status != OperationStatus.Done && TryReadSurrogate(utf8Source[read..], out char surrogate))
            {
                TryEscape(surrogate, escape, out _);
                ok = Encoding.ASCII.TryGetBytes(escape, utf8Destination[written..], out count);
                length = 3;
            }
            else if (status != OperationStatus.Done)
            {
                ok = ReplacementCharacter.TryCopyTo(utf8Destination[written..]);
                count = ReplacementCharacter.Length;
            }
            else if (WillEncode(rune.Value))
            {
                TryEscape((char)rune.Value, escape, out int chars);
                ok = Encoding.UTF8.TryGetBytes(escape[..chars], utf8Destination[written..], out count);
            }
            else
            {
                ok = utf8Source.Slice(read, length).TryCopyTo(utf8Destination[written..]);
                count = length;
            }

            if (!ok)
            {
                bytesConsumed = read;
                bytesWritten = written;
                return OperationStatus.DestinationTooSmall;
            }

            read += length;
            written += count;
        }

        bytesConsumed = read;
        bytesWritten = written;
        return OperationStatus.Done;
    }

    /// <summary>
    /// Reads a surrogate code unit written in UTF-8's three-byte form (<c>ED A0..BF 80..BF</c>, invalid UTF-8, as
    /// WTF-8 writes it): how <see cref="JsonStringify"/> hands over a lone surrogate that passed-through JSON
    /// escaped (<c>\ud800</c>), so that it is escaped again as <c>JSON.stringify</c> escapes it.
    /// </summary>
    internal static bool TryReadSurrogate(ReadOnlySpan<byte> utf8, out char surrogate)
    {
        surrogate = default;
        if (utf8.Length < 3 || utf8[0] != 0xED || utf8[1] is < 0xA0 or > 0xBF || utf8[2] is < 0x80 or > 0xBF)
        {
            return false;
        }

        surrogate = (char)(0xD000 | ((utf8[1] & 0x3F) << 6) | (utf8[2] & 0x3F));
        return true;
    }

    internal static int FindFirstCharacterToEncode(ReadOnlySpan<char> text)
    {
        int offset = 0;
        while (true)
        {
            int found = text[offset..].IndexOfAny(s_charsToCheck);
            if (found < 0)
            {
                return -1;
            }

            int index = offset + found;
            char c = text[index];
            if (!char.IsHighSurrogate(c) || index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]))
            {
                return index;
            }

            offset = index + 2;
        }
    }

    private static int IndexOfInvalidUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int index = 0;
        while (Rune.DecodeFromUtf8(utf8Text[index..], out _, out int length) == OperationStatus.Done)
        {
            index += length;
        }

        return index;
    }

    /// <summary>Writes the escape of a character that <c>JSON.stringify</c> escapes.</summary>
    private static bool TryEscape(char c, Span<char> destination, out int written)
    {
        char shortEscape = c switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\t' => 't',
            '\n' => 'n',
            '\f' => 'f',
            '\r' => 'r',
            _ => '\0',
        };
        written = shortEscape == '\0' ? 6 : 2;
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        destination[0] = '\\';
        if (shortEscape != '\0')
        {
            destination[1] = shortEscape;
            return true;
        }

        destination[1] = 'u';
        return ((int)c).TryFormat(destination[2..], out _, "x4", CultureInfo.InvariantCulture);
    }

    private static byte[] AsciiToEscape()
    {
        var bytes = new byte[0x22];
        for (int i = 0; i < 0x20; i++)
        {
            bytes[i] = (byte)i;
        }

        bytes[0x20] = (byte)'"';
        bytes[0x21] = (byte)'\\';
        return bytes;
    }

    private static string RangeOf(char first, char last) => string.Create(last - first + 1, first, static (span, start) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (char)(start + i);
        }
    });
}
