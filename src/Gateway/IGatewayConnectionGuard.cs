using Microsoft.AspNetCore.Http;

namespace Gateway;

/// <summary>
/// Decides whether a connection is accepted, before any <see cref="IOnGatewayConnection"/> hook runs (what NestJS
/// guards cannot do). Applied like <see cref="IGatewayGuard"/>: a type in a gateway class's
/// <see cref="UseGuardsAttribute"/>, or added globally with <c>AddGuard&lt;T&gt;()</c>; a guard class may implement
/// both interfaces.
/// </summary>
public interface IGatewayConnectionGuard
{
    /// <summary>
    /// Returns whether the connection may stay. Refused, the client gets the exception frame
    /// <c>"Forbidden resource"</c> (pattern <c>handleConnection</c>), then a close frame 1008; a guard may also throw a
    /// <see cref="WsException"/> to say why.
    /// </summary>
    /// <param name="client">The new connection.</param>
    /// <param name="httpContext">The HTTP upgrade request of the connection.</param>
    ValueTask<bool> CanConnectAsync(GatewayClient client, HttpContext httpContext);
}
