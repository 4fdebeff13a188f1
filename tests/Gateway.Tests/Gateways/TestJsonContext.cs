using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Tests.Gateways;

public sealed record ChatMessage(string Nick, string Text);

public sealed record ErrorDetails(int Code, string Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ErrorDetails))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Address))]
[JsonSerializable(typeof(RoomMessage))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(GatewayArguments))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
