using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Infrastructure;

/// <summary>Reads and writes <see cref="GatewayArguments"/> as one JSON array (binary arguments as base64).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GatewayArgumentsJsonConverter : JsonConverter<GatewayArguments>
{
    /// <inheritdoc/>
    public override GatewayArguments Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return GatewayArguments.Read(System.Text.Encoding.UTF8.GetBytes(document.RootElement.GetRawText()), 0);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, GatewayArguments value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        value.WriteElements(writer, placeholders: false);
        writer.WriteEndArray();
    }
}
