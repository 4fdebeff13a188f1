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

    /// <summary>The id of the last message the page has; the answer carries the room's messages after it (all when unknown).</summary>
    public string? Since { get; init; }

    /// <summary>The page's own key: a nickname held by an older connection of the same page is taken over, not refused.</summary>
    [StringLength(64)]
    public string? Session { get; init; }
}

/// <summary>A message with the page's own id: sent again after a drop, it is still said once.</summary>
[ValidatableType]
public sealed class PostRequest
{
    [Required]
    [StringLength(64)]
    public string Id { get; init; } = "";

    [Required]
    [StringLength(2000)]
    public string Text { get; init; } = "";
}

/// <summary>An error the page shows as it is: <c>{"status":"error","message":...}</c>.</summary>
public sealed record ChatError(string Status, string Message);

public sealed record ChatMessage(string Id, string Nick, string Room, string Text);

public sealed record Presence(string Nick, string Room);

/// <summary>The answer to a join: who is in the room and the messages the page has not seen.</summary>
public sealed record RoomState(string Room, string[] Members, ChatMessage[] History);

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
[JsonSerializable(typeof(PostRequest))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(Presence))]
[JsonSerializable(typeof(RoomState))]
[JsonSerializable(typeof(ChatError))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
