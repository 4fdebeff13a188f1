using Microsoft.AspNetCore.Http;

namespace Gateway;

/// <summary>Runs once per connection, before the connection's first message is dispatched.</summary>
public interface IOnGatewayConnection
{
    /// <summary>
    /// Called when a client connects. Throwing a <see cref="WsException"/> rejects the connection: the client
    /// gets the exception frame, then a close frame 1008 (1011 for any other exception).
    /// </summary>
    /// <param name="client">The new connection.</param>
    /// <param name="httpContext">The HTTP upgrade request of the connection.</param>
    ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext);
}
