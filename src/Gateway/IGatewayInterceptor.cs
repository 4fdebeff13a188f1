namespace Gateway;

/// <summary>
/// Runs around a handler, as a NestJS interceptor or a SignalR hub filter: code before and after it, and the
/// power to replace its result or not call it at all. Applied with <see cref="UseInterceptorsAttribute"/> or
/// globally with <c>AddInterceptor&lt;T&gt;()</c>; the outermost runs first (global → gateway → handler).
/// </summary>
public interface IGatewayInterceptor
{
    /// <summary>
    /// Intercepts one message. <paramref name="next"/> runs the inner interceptors and the handler and returns the
    /// handler's result: the value it returned (a <c>WsResponse&lt;T&gt;</c>, an <c>IAsyncEnumerable&lt;T&gt;</c> for a
    /// stream), or <see langword="null"/> for a handler that returns nothing. What this method returns is sent:
    /// that result, another value of the handler's result type, a <see cref="GatewayResult"/>, or
    /// <see langword="null"/> to send nothing.
    /// </summary>
    /// <param name="context">The message, its handler and its connection.</param>
    /// <param name="next">The rest of the pipeline.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Naming", "CA1716", Justification = "'next' is the name ASP.NET Core's IMiddleware and NestJS's interceptors give it.")]
    ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next);
}

/// <summary>The rest of a handler's pipeline: the inner interceptors, then the handler.</summary>
/// <param name="context">The invocation.</param>
/// <returns>The handler's result, as <see cref="IGatewayInterceptor.InterceptAsync"/> describes it.</returns>
public delegate ValueTask<object?> GatewayHandler(GatewayInvocationContext context);
