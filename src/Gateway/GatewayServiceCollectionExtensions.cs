using Gateway;
using Gateway.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Gateway's services. Applications call the generated <c>AddGateways()</c>, which calls
/// <see cref="AddGatewayCore"/> and adds every gateway of the project; <see cref="IGatewayBuilder.AddGateway{TGateway}"/>
/// adds gateways one by one.
/// </summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Adds Gateway's runtime services, without any gateway.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Configures <see cref="GatewayOptions"/>.</param>
    public static IGatewayBuilder AddGatewayCore(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        GatewayRegistry? registry = null;
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(GatewayRegistry) && !descriptor.IsKeyedService)
            {
                registry = (GatewayRegistry?)descriptor.ImplementationInstance;
                break;
            }
        }

        if (registry is null)
        {
            registry = new GatewayRegistry();
            services.AddSingleton(registry);
            services.AddOptions<GatewayOptions>()
                .Validate(
                    static o => o.Resumption.Window > TimeSpan.Zero && o.Resumption.MaxBufferedBytes > 0,
                    "Resumption.Window and Resumption.MaxBufferedBytes must be positive.")
                .ValidateOnStart();
            services.AddMetrics();
            services.TryAddSingleton<GatewayMetrics>();
            services.TryAddSingleton<GatewayInitializer>();
            services.TryAddSingleton<IGatewayUserIdProvider, NameIdentifierUserIdProvider>();
            services.TryAddSingleton<ConnectionRegistries>();
            services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<GatewayInitializer>());
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, GatewayPorts>();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new GatewayBuilder(services, registry);
    }
}
