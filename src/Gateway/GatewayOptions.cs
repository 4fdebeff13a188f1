namespace Gateway;

/// <summary>Options for every gateway endpoint of the application (configure with the options pattern).</summary>
public sealed class GatewayOptions
{
    /// <summary>
    /// The largest inbound message, in bytes, after its frames are joined. A larger message closes the
    /// connection with status 1009 (message too big). Default: 1 MiB.
    /// </summary>
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// How many messages of one connection may be handled at once. The default, 1, handles them in arrival
    /// order, so replies keep request order.
    /// </summary>
    public int MaxParallelMessagesPerConnection { get; set; } = 1;

    /// <summary>
    /// When <see langword="true"/>, frames that NestJS drops silently (invalid JSON, no string <c>event</c>,
    /// an event no handler claims) are answered with an <c>exception</c> frame. Default: <see langword="false"/>.
    /// </summary>
    public bool ReplyToInvalidMessages { get; set; }

    /// <summary>
    /// When <see langword="true"/> (the default), a message with an <c>id</c> (a string or number beside <c>event</c> and
    /// <c>data</c>) is answered with frames that carry it, and ends with one marked <c>"end":true</c>
    /// (docs/protocol-extensions.md); without <c>id</c> the wire is NestJS's. Turn it off for clients that already send
    /// an <c>id</c> of their own and expect NestJS's bare replies.
    /// </summary>
    public bool CorrelationIds { get; set; } = true;

    /// <summary>
    /// How clients write their messages: <see cref="GatewayMessageFormat.Envelope"/> (NestJS's default) or
    /// <see cref="GatewayMessageFormat.Array"/>, NestJS's <c>messageParser</c> for <c>["event", data]</c> clients.
    /// </summary>
    public GatewayMessageFormat MessageFormat { get; set; }

    /// <summary>How often the server sends a WebSocket ping to each connection. Default: 15 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the server waits for the pong that answers a ping before it drops the connection: a peer that is
    /// gone without a close (a half-open connection) or stalled in the middle of a message is dropped within
    /// <see cref="KeepAliveInterval"/> + this, and its buffers are returned. Browsers and WebSocket libraries answer
    /// pings by themselves. <see cref="Timeout.InfiniteTimeSpan"/> sends unsolicited pongs instead and drops
    /// nobody. Default: 30 seconds.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for the client's close frame after sending its own. Default: 5 seconds.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many bytes of pushed frames (broadcasts and other server pushes) may wait for one client before
    /// <see cref="SlowConsumerPolicy"/> applies. Default: 1 MiB.
    /// </summary>
    public long MaxQueuedBytesPerConnection { get; set; } = 1024 * 1024;

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, as browsers send them in <c>Origin</c>) besides the gateway's own from
    /// which browsers may connect; <c>"*"</c> allows every origin. A handshake from another origin is refused with
    /// 403; one without <c>Origin</c> (a client that is not a browser) is allowed. Default: empty, the gateway's
    /// own origin only.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// How long a message may take to arrive once it has started (a message larger than one read, or sent in
    /// fragments): a client that starts a message and never finishes it, even one that answers pings, is dropped and
    /// its receive buffer returned. <see cref="Timeout.InfiniteTimeSpan"/> waits forever. Default: 30 seconds.
    /// </summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one frame may wait for a client to take it (its socket is full: the client does not read). Then the
    /// client is dropped and the frame counted as dropped (<c>send_timeout</c>), whether the frame was a reply or a
    /// push, so a client that sends but never reads cannot hold a handler or its queue forever.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever. Default: 30 seconds.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most connections one gateway path holds at once; a handshake beyond it is refused with 503 before the
    /// upgrade. <see langword="null"/>: no limit of Gateway's own (Kestrel's
    /// <c>MaxConcurrentUpgradedConnections</c> still applies). Default: <see langword="null"/>.
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// The most connections one IP address holds at once on a gateway path; a handshake beyond it is refused with
    /// 429 before the upgrade. Behind a proxy, use the forwarded-headers middleware so that the address is the
    /// client's. Default: <see langword="null"/>, no limit (clients behind one NAT share an address).
    /// </summary>
    public int? MaxConnectionsPerIpAddress { get; set; }

    /// <summary>
    /// The most connections one user (as <see cref="IGatewayUserIdProvider"/> names it) holds at once on a gateway
    /// path; a connection beyond it is closed with 1008 right after the upgrade, before any connection hook runs.
    /// Anonymous connections do not count. Default: <see langword="null"/>, no limit.
    /// </summary>
    public int? MaxConnectionsPerUser { get; set; }

    /// <summary>
    /// When <see langword="true"/>, a connection whose authentication expires (the <c>ExpiresUtc</c> of the
    /// handshake's authentication result, e.g. a JWT's <c>exp</c>) is closed with 1008 at that moment, so a revoked
    /// or short-lived token does not keep a connection open for days; the client reconnects with a fresh token.
    /// Default: <see langword="false"/>, as SignalR's <c>CloseOnAuthenticationExpiration</c>.
    /// </summary>
    public bool CloseOnAuthenticationExpiration { get; set; }

    /// <summary>Resumable sessions: reconnecting clients get their connection and its missed frames back. Default: off.</summary>
    public GatewayResumptionOptions Resumption { get; } = new();

    /// <summary>Rate limits on inbound messages, per connection and per handler. Default: none.</summary>
    public GatewayRateLimitingOptions RateLimiting { get; } = new();

    /// <summary>What to do with a client whose queue is over <see cref="MaxQueuedBytesPerConnection"/>. Default: close with 1008.</summary>
    public SlowConsumerPolicy SlowConsumerPolicy { get; set; } = SlowConsumerPolicy.Close;
}
