using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>
/// Reading inside a message's <c>data</c>, which is JSON in every wire protocol: the bytes of one property of the
/// <c>data</c> object, for <c>[MessageBody("name")]</c> parameters, sliced from the frame without allocating.
/// </summary>
internal static class MessageData
{
    /// <summary>The JSON of one property of the <c>data</c> object; empty when <c>data</c> or the property is missing.</summary>
    public static ReadOnlySpan<byte> FindProperty(ReadOnlySpan<byte> data, ReadOnlySpan<byte> utf8PropertyName)
    {
        if (data.IsEmpty)
        {
            return default;
        }

        var reader = new Utf8JsonReader(data);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidPayloadException(new JsonException("The message data is not an object."));
        }

        ReadOnlySpan<byte> value = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = NameEquals(ref reader, utf8PropertyName);
            reader.Read();
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (match)
            {
                value = data[start..(int)reader.BytesConsumed];
            }
        }

        return value;
    }

    /// <summary>
    /// Whether the property name under the reader is <paramref name="utf8Name"/>. A name whose escapes are no UTF-8
    /// text (a lone surrogate, <c>\ud800</c>, which <c>JSON.parse</c> accepts) equals no name, where the reader
    /// would throw.
    /// </summary>
    public static bool NameEquals(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Name)
    {
        try
        {
            return reader.ValueTextEquals(utf8Name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
