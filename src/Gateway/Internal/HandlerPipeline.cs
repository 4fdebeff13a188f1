using Microsoft.Extensions.Logging;

namespace Gateway.Internal;

/// <summary>
/// The guards, interceptors and exception filters around one handler, in running order (guards and interceptors
/// global → gateway → handler, filters handler → gateway → global). Built once at start-up; a handler without any
/// has no pipeline and runs on the direct path, so an application that uses none pays nothing per message.
/// </summary>
internal sealed class HandlerPipeline
{
    private readonly IGatewayGuard[] _guards;
    private readonly IGatewayInterceptor[] _interceptors;
    private readonly IGatewayExceptionFilter[] _filters;

    // _next[i] runs interceptor i, and _next[^1] the handler: built once, so a 'next' may be called again (a retry).
    private readonly GatewayHandler[] _next;

    public HandlerPipeline(IGatewayGuard[] guards, IGatewayInterceptor[] interceptors, IGatewayExceptionFilter[] filters)
    {
        _guards = guards;
        _interceptors = interceptors;
        _filters = filters;
        _next = new GatewayHandler[interceptors.Length + 1];
        for (int i = 0; i < _next.Length; i++)
        {
            int level = i;
            _next[i] = context => RunLevelAsync(context, level);
        }
    }

    /// <summary>Runs the guards, then the interceptors around the handler, then sends what the outermost returned.</summary>
    public async ValueTask RunAsync(GatewayInvocationContext context)
    {
        foreach (IGatewayGuard guard in _guards)
        {
            if (!await guard.CanActivateAsync(context).ConfigureAwait(false))
            {
                // What NestJS's WsContextCreator throws for a guard that returns false.
                throw new WsException("Forbidden resource");
            }
        }

        object? result = await _next[0](context).ConfigureAwait(false);
        if (result is null)
        {
            return;
        }

        if (result is GatewayResult own)
        {
            await own.SendAsync(context.Message).ConfigureAwait(false);
            return;
        }

        await context.Binding.SendResultAsync(context.Handler, result, context.Message).ConfigureAwait(false);
    }

    /// <summary>Asks the filters, in order, to handle <paramref name="exception"/>; false when none did.</summary>
    public async ValueTask<bool> TryFilterAsync(GatewayInvocationContext context, Exception exception, ILogger logger)
    {
        foreach (IGatewayExceptionFilter filter in _filters)
        {
            try
            {
                if (await filter.TryHandleAsync(context, exception).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (Exception ex)
            {
                // A broken filter is the application's bug: logged, and the client still gets the default frame.
                Log.ExceptionFilterFailed(logger, ex, filter.ToString() ?? "?", context.Event, context.GatewayName, context.Client.Id);
                return false;
            }
        }

        return false;
    }

    private ValueTask<object?> RunLevelAsync(GatewayInvocationContext context, int level) =>
        level < _interceptors.Length
            ? _interceptors[level].InterceptAsync(context, _next[level + 1])
            : context.Binding.CallAsync(context.Handler, context.Message);
}
