namespace Gateway.Client;

/// <summary>
/// Automatic reconnection: after a drop, new connections are tried with exponential backoff and full jitter (each wait
/// a random time up to min(<see cref="MaxDelay"/>, <see cref="InitialDelay"/> × 2^attempt)), while sends wait in a
/// bounded queue. Unless the connection is resumed (<see cref="GatewayConnectionOptions.Resume"/>), a new connection is
/// a new server-side connection: rooms and requests in flight are not carried over.
/// </summary>
public sealed class GatewayReconnectOptions
{
    /// <summary>The first wait's bound. Default: 250 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait's bound. Default: 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts before giving up (the connection is then <see cref="GatewayConnectionState.Disconnected"/>); null for no end. Default: null.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>How many messages may wait while reconnecting; one more fails at once. Default: 100.</summary>
    public int MaxQueuedMessages { get; set; } = 100;
}
