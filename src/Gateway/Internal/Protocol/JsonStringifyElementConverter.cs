using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Internal.Protocol;

/// <summary>
/// Writes a <see cref="JsonElement"/> payload or result as <c>JSON.stringify</c> writes the same value
/// (<see cref="JsonStringify"/>), where the built-in converter would copy its text as it arrived (white space,
/// escapes, <c>1.0</c>). Reading is the built-in one. Used by <see cref="Infrastructure.GatewayJsonContext"/>.
/// </summary>
internal sealed class JsonStringifyElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            value.WriteTo(writer); // throws, as the built-in converter does
            return;
        }

        JsonStringify.WriteValue(writer, JsonMarshal.GetRawUtf8Value(value));
    }
}
