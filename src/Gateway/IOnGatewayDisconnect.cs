using System.Net.WebSockets;

namespace Gateway;

/// <summary>Runs exactly once per connection when it ends, whoever closed it.</summary>
public interface IOnGatewayDisconnect
{
    /// <summary>Called when the connection has ended.</summary>
    /// <param name="client">The connection that ended.</param>
    /// <param name="closeStatus">The close status, or <see langword="null"/> when the connection was lost without one.</param>
    /// <param name="exception">The error that ended the connection, if any.</param>
    ValueTask OnDisconnectedAsync(GatewayClient client, WebSocketCloseStatus? closeStatus, Exception? exception);
}
