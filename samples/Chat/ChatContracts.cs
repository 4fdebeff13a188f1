using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway;
using Microsoft.Extensions.Validation;

namespace Chat;

/// <summary>Validated before Join runs (Microsoft.Extensions.Validation's generated code; AOT-safe).</summary>
[ValidatableType]
public sealed class JoinRequest
{
    [Required]
    [StringLength(24)]
    public string Nick { get; init; } = "";

    [Required]
    [StringLength(40)]
    public string Room { get; init; } = "";
}

/// <summary>An error the page shows as it is: <c>{"status":"error","message":...}</c>.</summary>
public sealed record ChatError(string Status, string Message);

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
[JsonSerializable(typeof(ChatError))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
