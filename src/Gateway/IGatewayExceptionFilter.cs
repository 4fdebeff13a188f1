namespace Gateway;

/// <summary>
/// Turns an exception of a handler's pipeline (a guard, an interceptor, binding or validating the payload, the
/// handler) into whatever the client should get, as NestJS's exception filters (<c>@UseFilters</c>) do. Applied
/// with <see cref="UseFiltersAttribute"/> or globally with <c>AddExceptionFilter&lt;T&gt;()</c>; the most specific
/// runs first (handler → gateway → global). When none handles it, the default frames are sent
/// (<c>WsException</c> as given, anything else as "Internal server error").
/// </summary>
public interface IGatewayExceptionFilter
{
    /// <summary>
    /// Handles <paramref name="exception"/>, typically by sending a frame with <c>context.Client.SendAsync</c>, and
    /// returns <see langword="true"/>; or returns <see langword="false"/> to leave it to the next filter.
    /// </summary>
    /// <param name="context">The message, its handler and its connection.</param>
    /// <param name="exception">What was thrown.</param>
    ValueTask<bool> TryHandleAsync(GatewayInvocationContext context, Exception exception);
}
