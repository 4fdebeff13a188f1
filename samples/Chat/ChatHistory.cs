namespace Chat;

/// <summary>
/// The last messages of each room, in memory (a restart forgets them; several instances each keep their own): what
/// a page that reconnects asks for, and the ids that make a message sent twice (a resend after a drop) count once.
/// </summary>
public sealed class ChatHistory
{
    private const int Kept = 200;
    private readonly Dictionary<string, List<ChatMessage>> _rooms = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="message"/>; false when the room already has a message with its id.</summary>
    public bool TryAdd(ChatMessage message)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(message.Room, out List<ChatMessage>? messages))
            {
                _rooms[message.Room] = messages = [];
            }

            if (messages.Exists(m => m.Id == message.Id))
            {
                return false;
            }

            if (messages.Count == Kept)
            {
                messages.RemoveAt(0);
            }

            messages.Add(message);
            return true;
        }
    }

    /// <summary>The room's messages after the one with id <paramref name="since"/>; all of them when it is not kept.</summary>
    public ChatMessage[] After(string room, string? since)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(room, out List<ChatMessage>? messages))
            {
                return [];
            }

            int seen = since is null ? -1 : messages.FindIndex(m => m.Id == since);
            return [.. messages.Skip(seen + 1)];
        }
    }
}
