namespace Gateway.Internal;

/// <summary>
/// The scale-out seam: a backplane (Gateway.Redis) carries pushes to the other nodes of a cluster and learns which
/// rooms and users have local members. Absent by default: <see cref="ConnectionRegistry.Backplane"/> is null and no
/// hook runs. The membership hooks are called under the registry's membership lock, in the order the changes happen:
/// they must not block (queue the work) and must not throw.
/// </summary>
internal interface IGatewayBackplane
{
    /// <summary>Whether pushes reach the other nodes now (false while the backplane's server is unreachable).</summary>
    bool IsAvailable { get; }

    /// <summary>A path's registry was created on this node.</summary>
    void Attach(ConnectionRegistry registry);

    /// <summary>
    /// A push was queued for the local recipients; carry it to the other nodes. <paramref name="frame"/> holds the
    /// serialized bytes and stays valid only for the call.
    /// </summary>
    void Publish(ConnectionRegistry registry, GatewayTarget.TargetKind kind, string[] keys, SharedFrame frame, string[]? except);

    /// <summary>A connection opened; <paramref name="firstOfUser"/> when it is its user's first on this node.</summary>
    void Connected(ConnectionRegistry registry, GatewayClient client, bool firstOfUser);

    /// <summary>A connection closed (after <see cref="Left"/> for each of its rooms).</summary>
    void Disconnected(ConnectionRegistry registry, GatewayClient client, bool lastOfUser);

    /// <summary>A connection joined a room; <paramref name="firstMember"/> when the room had no local member before.</summary>
    void Joined(ConnectionRegistry registry, GatewayClient client, string room, bool firstMember);

    /// <summary>A connection left a room (or closed); <paramref name="lastMember"/> when the room has no local member left.</summary>
    void Left(ConnectionRegistry registry, GatewayClient client, string room, bool lastMember);
}
