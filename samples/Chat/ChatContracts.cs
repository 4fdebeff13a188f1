using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway;

namespace Chat;

public sealed record JoinRequest(string Nick, string Room);

public sealed record ChatMessage(string Nick, string Room, string Text);

public sealed record Presence(string Nick, string Room);

public sealed record RoomState(string Room, string[] Members);

/// <summary>What the server pushes to the browsers.</summary>
[ClientEvents]
public interface IChatEvents
{
    ValueTask Message(ChatMessage message);

    ValueTask Joined(Presence presence);

    ValueTask Left(Presence presence);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(Presence))]
[JsonSerializable(typeof(RoomState))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
