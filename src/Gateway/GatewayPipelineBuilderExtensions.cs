using System.Diagnostics.CodeAnalysis;
using Gateway;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds global guards, interceptors and exception filters: they apply to every handler of every gateway (global
/// guards to every connection too), around those of the gateways' <c>[UseGuards]</c>, <c>[UseInterceptors]</c> and
/// <c>[UseFilters]</c> attributes, in the order they are added. Each is a singleton of the application's services.
/// </summary>
public static class GatewayPipelineBuilderExtensions
{
    /// <summary>
    /// Adds a global guard: an <see cref="IGatewayGuard"/> (every message), an <see cref="IGatewayConnectionGuard"/>
    /// (every connection), or both.
    /// </summary>
    /// <typeparam name="TGuard">The guard type.</typeparam>
    /// <param name="builder">The gateway builder.</param>
    public static IGatewayBuilder AddGuard<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TGuard>(
        this IGatewayBuilder builder) where TGuard : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        bool message = typeof(IGatewayGuard).IsAssignableFrom(typeof(TGuard));
        bool connection = typeof(IGatewayConnectionGuard).IsAssignableFrom(typeof(TGuard));
        if (!message && !connection)
        {
            throw new ArgumentException(
                $"{typeof(TGuard)} is not a guard: implement IGatewayGuard (messages), IGatewayConnectionGuard (connections), or both.",
                nameof(TGuard));
        }

        builder.Services.TryAddSingleton<TGuard>();
        if (message)
        {
            builder.Services.AddSingleton(static sp => (IGatewayGuard)sp.GetRequiredService<TGuard>());
        }

        if (connection)
        {
            builder.Services.AddSingleton(static sp => (IGatewayConnectionGuard)sp.GetRequiredService<TGuard>());
        }

        return builder;
    }

    /// <summary>Adds a global interceptor, around every handler.</summary>
    /// <typeparam name="TInterceptor">The interceptor type.</typeparam>
    /// <param name="builder">The gateway builder.</param>
    public static IGatewayBuilder AddInterceptor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TInterceptor>(
        this IGatewayBuilder builder) where TInterceptor : class, IGatewayInterceptor
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IGatewayInterceptor, TInterceptor>();
        return builder;
    }

    /// <summary>Adds a global exception filter, asked after the handler's and the gateway's own.</summary>
    /// <typeparam name="TFilter">The exception filter type.</typeparam>
    /// <param name="builder">The gateway builder.</param>
    public static IGatewayBuilder AddExceptionFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>(
        this IGatewayBuilder builder) where TFilter : class, IGatewayExceptionFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IGatewayExceptionFilter, TFilter>();
        return builder;
    }
}
