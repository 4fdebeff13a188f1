namespace Gateway;

/// <summary>
/// Resumable sessions: a client that loses its connection and reconnects within <see cref="Window"/> gets its
/// connection back (the same <see cref="GatewayClient.Id"/>, its rooms, its <see cref="GatewayClient.Items"/>) and the
/// frames sent to it meanwhile, as SignalR's stateful reconnect and Socket.IO's connection state recovery do. A client
/// asks for it (the Gateway clients do; see docs/protocol-extensions.md, and Socket.IO's own <c>pid</c>/<c>offset</c>),
/// so NestJS clients see NestJS's bytes.
/// </summary>
/// <remarks>
/// While a connection is away it stays in its rooms and counts as connected: the disconnect hooks run once, when it
/// comes back no more (the window passed) or closes for good. What cannot be recovered (the window passed, or more was
/// sent meanwhile than <see cref="MaxBufferedBytes"/> holds) is told to the client, which then starts a new connection.
/// A resumed connection keeps the <see cref="GatewayClient.HttpContext"/> of the request that opened it, whose
/// <c>RequestAborted</c> fires when that first transport drops: wait on <see cref="GatewayClient.ConnectionAborted"/>.
/// Cost when unused: none; for a client that asks, a copy of each frame it is sent, held until it acknowledges it.
/// </remarks>
public sealed class GatewayResumptionOptions
{
    /// <summary>Whether clients may resume their connections. Default: <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a lost connection waits for its client to come back. Default: 2 minutes (Socket.IO's <c>maxDisconnectionDuration</c>).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The bytes of frames a connection keeps for its client until the client acknowledges them (or, over Socket.IO,
    /// for the window), counting 32 bytes of bookkeeping per frame. Beyond it the oldest go, and a client that missed
    /// them cannot resume. Default: 64 KiB.
    /// </summary>
    public int MaxBufferedBytes { get; set; } = 64 * 1024;
}
