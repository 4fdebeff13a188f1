namespace Gateway;

/// <summary>
/// Options of the Socket.IO endpoint that <c>MapSocketIO()</c> adds (Engine.IO v4 and Socket.IO v5, as the npm
/// <c>socket.io</c> 4.x server speaks them). Defaults are the npm server's.
/// </summary>
public sealed class SocketIOOptions
{
    /// <summary>The path of the endpoint, as socket.io-client's <c>path</c> option. Default: <c>/socket.io/</c>.</summary>
    public string Path { get; set; } = "/socket.io/";

    /// <summary>How often the server pings each client (Engine.IO's heartbeat). Default: 25 seconds.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a client has to answer a ping before its session is closed. Default: 20 seconds.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The largest message (a WebSocket message, or the body of one long-polling request), in bytes; the npm server's
    /// <c>maxHttpBufferSize</c>. A client that sends more loses its session. Default: 1,000,000.
    /// </summary>
    public int MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>How long a new session may go without connecting to a namespace before it is closed. Default: 45 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How long an upgrade from long-polling to WebSocket may take. Default: 10 seconds.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether clients may use HTTP long-polling (socket.io-client starts with it unless told otherwise). Long-polling
    /// sessions live on one server instance: behind a load balancer they need sticky sessions. Default: <see langword="true"/>.
    /// </summary>
    public bool AllowLongPolling { get; set; } = true;

    /// <summary>
    /// How long <c>GatewayClient.RequestAsync</c> (Socket.IO's <c>emitWithAck</c>) waits for the client's acknowledgement
    /// when the caller gives no timeout. Default: 30 seconds.
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
