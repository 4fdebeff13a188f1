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

    /// <summary>How often the server sends WebSocket pings to keep idle connections alive. Default: 30 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for the client's close frame after sending its own. Default: 5 seconds.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many bytes of pushed frames (broadcasts and other server pushes) may wait for one client before
    /// <see cref="SlowConsumerPolicy"/> applies. Default: 1 MiB.
    /// </summary>
    public long MaxQueuedBytesPerConnection { get; set; } = 1024 * 1024;

    /// <summary>What to do with a client whose queue is over <see cref="MaxQueuedBytesPerConnection"/>. Default: close with 1008.</summary>
    public SlowConsumerPolicy SlowConsumerPolicy { get; set; } = SlowConsumerPolicy.Close;
}
