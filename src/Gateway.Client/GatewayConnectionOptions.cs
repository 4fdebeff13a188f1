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

    /// <summary>The largest frame the connection takes from the server, in bytes. Default: 1 MiB.</summary>
    public int MaxFrameSize { get; set; } = 1024 * 1024;
}
