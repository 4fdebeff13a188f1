namespace Gateway.Client;

/// <summary>
/// What the server said of the connection (docs/protocol-extensions.md, "Resumable sessions"): a new one, the old one
/// resumed after a reconnection, or a new one because the old one could not come back (<see cref="Lost"/> says why).
/// </summary>
public sealed class GatewaySession
{
    /// <summary>The server's id of the connection (its <c>GatewayClient.Id</c>); null when the server announced none.</summary>
    public string? Id { get; init; }

    /// <summary>Whether a reconnection got the old connection back: its id, its rooms, and the frames it missed.</summary>
    public bool Resumed { get; init; }

    /// <summary>When resumed, how many missed frames the server sent again.</summary>
    public int Replayed { get; init; }

    /// <summary>
    /// Why a reconnection could not get the old connection back: <c>expired</c> (after the server's window),
    /// <c>overflow</c> (it missed more than the server keeps), <c>unknown</c> (the server restarted, or does not resume);
    /// null otherwise. Pushes sent meanwhile are then gone, and the requests in flight have failed.
    /// </summary>
    public string? Lost { get; init; }
}
