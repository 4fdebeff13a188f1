using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Gateway;

/// <summary>
/// Several arguments of one Socket.IO event or acknowledgement, any of them binary: what <c>socket.emit("e", a, b)</c>
/// sends and what <c>callback(a, b)</c> answers. As a handler's <c>[MessageBody]</c> it receives every argument the
/// client sent; sent or returned, each argument is its own (Socket.IO's binary attachments for binary ones).
/// </summary>
/// <remarks>
/// NestJS's ws protocol has one <c>data</c> per event: there the arguments are one JSON array, binary ones as base64.
/// Bound from a message, one argument that is itself an array reads as that array's elements, as NestJS binds several
/// arguments as one array.
/// </remarks>
[JsonConverter(typeof(Infrastructure.GatewayArgumentsJsonConverter))]
public sealed class GatewayArguments
{
    private readonly List<Argument> _items = [];

    /// <summary>How many arguments there are.</summary>
    public int Count => _items.Count;

    /// <summary>How many of them are binary.</summary>
    public int BinaryCount => _items.Count(static a => a.Binary is not null);

    /// <summary>Adds <paramref name="value"/> as JSON.</summary>
    public GatewayArguments Add<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _items.Add(new Argument(JsonSerializer.SerializeToElement(value, typeInfo), null));
        return this;
    }

    /// <summary>Adds a JSON value.</summary>
    public GatewayArguments Add(JsonElement value)
    {
        _items.Add(new Argument(value.Clone(), null));
        return this;
    }

    /// <summary>Adds a binary argument (a Socket.IO attachment; base64 in NestJS's ws protocol).</summary>
    public GatewayArguments AddBinary(ReadOnlyMemory<byte> bytes)
    {
        _items.Add(new Argument(default, bytes.ToArray()));
        return this;
    }

    /// <summary>Whether argument <paramref name="index"/> is binary.</summary>
    public bool IsBinary(int index) => _items[index].Binary is not null;

    /// <summary>Argument <paramref name="index"/> as JSON (a binary one as its base64 string).</summary>
    public JsonElement GetJson(int index) =>
        _items[index] is { Binary: { } bytes } ? JsonSerializer.SerializeToElement(Convert.ToBase64String(bytes), GatewayJsonContext.Default.String) : _items[index].Json;

    /// <summary>The bytes of binary argument <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> GetBinary(int index) =>
        _items[index].Binary ?? throw new InvalidOperationException($"Argument {index} is not binary.");

    /// <summary>Reads argument <paramref name="index"/> as <typeparamref name="T"/>.</summary>
    public T? Get<T>(int index, JsonTypeInfo<T> typeInfo) => GetJson(index).Deserialize(typeInfo);

    /// <summary>Reads a message's data: several arguments (an array) or one, with the binary ones marked.</summary>
    internal static GatewayArguments Read(ReadOnlySpan<byte> json, ulong binary)
    {
        var arguments = new GatewayArguments();
        if (json.IsEmpty)
        {
            return arguments;
        }

        using JsonDocument document = JsonDocument.Parse(json.ToArray());
        JsonElement root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement element in root.EnumerateArray())
            {
                arguments.AddRead(element, index < 64 && (binary & (1UL << index)) != 0);
                index++;
            }
        }
        else
        {
            arguments.AddRead(root, (binary & 1) != 0);
        }

        return arguments;
    }

    private void AddRead(JsonElement element, bool binary)
    {
        if (binary && element.ValueKind == JsonValueKind.String && element.TryGetBytesFromBase64(out byte[]? bytes))
        {
            _items.Add(new Argument(default, bytes));
        }
        else
        {
            _items.Add(new Argument(element.Clone(), null));
        }
    }

    /// <summary>
    /// Writes the arguments as elements of the array being written: JSON ones as they are, binary ones as Socket.IO
    /// placeholders numbered in order (<paramref name="placeholders"/>) or as base64 strings.
    /// </summary>
    internal void WriteElements(Utf8JsonWriter writer, bool placeholders)
    {
        int attachment = 0;
        foreach (Argument argument in _items)
        {
            if (argument.Binary is not { } bytes)
            {
                argument.Json.WriteTo(writer);
            }
            else if (placeholders)
            {
                writer.WriteStartObject();
                writer.WriteBoolean("_placeholder"u8, true);
                writer.WriteNumber("num"u8, attachment++);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteBase64StringValue(bytes);
            }
        }
    }

    /// <summary>The binary arguments, in order.</summary>
    internal IEnumerable<byte[]> Attachments => _items.Where(static a => a.Binary is not null).Select(static a => a.Binary!);

    private readonly record struct Argument(JsonElement Json, byte[]? Binary);
}
