namespace Gateway.Client;

/// <summary>Where a <see cref="GatewayConnection"/> stands, for a UI to show.</summary>
public enum GatewayConnectionState
{
    /// <summary>Connected: sends go out at once.</summary>
    Connected,

    /// <summary>
    /// The connection dropped and a new one is being made (<see cref="GatewayConnectionOptions.Reconnect"/>): sends wait
    /// in a bounded queue, requests already sent have failed.
    /// </summary>
    Reconnecting,

    /// <summary>Closed for good: disposed, or the connection dropped and reconnecting is off or gave up.</summary>
    Disconnected,
}
