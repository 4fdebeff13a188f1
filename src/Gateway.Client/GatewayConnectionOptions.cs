using System.Net.WebSockets;

namespace Gateway.Client;

/// <summary>Options of a <see cref="GatewayConnection"/>.</summary>
public sealed class GatewayConnectionOptions
{
    /// <summary>Configures the WebSocket before it connects (headers, sub-protocols, a proxy).</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>How long a request waits for its answer before it fails with a <see cref="TimeoutException"/>. Default: 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconnects by itself after a drop when set; off (null) by default.</summary>
    public GatewayReconnectOptions? Reconnect { get; set; }

    /// <summary>
    /// With <see cref="Reconnect"/>, asks the server for a resumable connection: after a drop the client comes back to
    /// the same connection (its id, its rooms), is sent what it missed, sends again what the server did not get, and
    /// requests in flight are answered (see <see cref="GatewayConnection.SessionChanged"/>). A server without
    /// resumption ignores it. Default: true.
    /// </summary>
    public bool Resume { get; set; } = true;

    /// <summary>The largest frame the connection takes from the server, in bytes. Default: 1 MiB.</summary>
    public int MaxFrameSize { get; set; } = 1024 * 1024;
}
