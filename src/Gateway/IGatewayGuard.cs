namespace Gateway;

/// <summary>
/// Decides whether a handler runs for a message, as a NestJS guard (<c>CanActivate</c>) does. Applied with
/// <see cref="UseGuardsAttribute"/> on a gateway class or a handler, or to every handler with
/// <c>AddGuard&lt;T&gt;()</c> on the gateway builder. Guards run after authorization and rate limits, before
/// interceptors, in the order global → gateway → handler; the first that refuses stops the message.
/// </summary>
public interface IGatewayGuard
{
    /// <summary>
    /// Returns whether the handler may run. Refused, the client gets the exception frame
    /// <c>"Forbidden resource"</c> (through the exception filters) and the connection stays open; a guard may also
    /// throw a <see cref="WsException"/> to say why.
    /// </summary>
    /// <param name="context">The message, its handler and its connection.</param>
    ValueTask<bool> CanActivateAsync(GatewayInvocationContext context);
}
