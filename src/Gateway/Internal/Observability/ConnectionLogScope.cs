using System.Collections;

namespace Gateway.Internal;

/// <summary>
/// The log scope of a connection: every line logged while it runs (Gateway's and the application's handlers')
/// carries <c>ConnectionId</c> and <c>GatewayPath</c>. One per connection, never per message.
/// </summary>
internal sealed class ConnectionLogScope(string connectionId, string path) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ConnectionId", connectionId),
        1 => new("GatewayPath", path),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"ConnectionId:{connectionId} GatewayPath:{path}";
}
