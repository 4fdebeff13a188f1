using Gateway;
using Gateway.Internal;
using Gateway.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on the Redis backplane: pushes, rooms and users reach connections on every node of a cluster.</summary>
public static class RedisGatewayBuilderExtensions
{
    /// <summary>
    /// Adds the Redis backplane with the connection string at <c>Gateway:Redis</c> in <paramref name="configuration"/>
    /// (e.g. <c>--Gateway:Redis=127.0.0.1:6379</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddGateways()</c>.</param>
    /// <param name="configuration">The application's configuration.</param>
    /// <param name="configure">Configures the other options.</param>
    public static IGatewayBuilder AddRedisBackplane(
        this IGatewayBuilder builder, IConfiguration configuration, Action<RedisBackplaneOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddRedisBackplane(options =>
        {
            options.ConnectionString ??= configuration[RedisBackplaneOptions.ConfigurationKey];
            configure?.Invoke(options);
        });
    }

    /// <summary>Adds the Redis backplane on <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The builder returned by <c>AddGateways()</c>.</param>
    /// <param name="connectionString">A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Configures the other options.</param>
    public static IGatewayBuilder AddRedisBackplane(
        this IGatewayBuilder builder, string connectionString, Action<RedisBackplaneOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.AddRedisBackplane(options =>
        {
            options.ConnectionString = connectionString;
            configure?.Invoke(options);
        });
    }

    /// <summary>Adds the Redis backplane configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder returned by <c>AddGateways()</c>.</param>
    /// <param name="configure">Sets the connection and the other options.</param>
    public static IGatewayBuilder AddRedisBackplane(this IGatewayBuilder builder, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        IServiceCollection services = builder.Services;
        services.AddOptions<RedisBackplaneOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisBackplaneOptions>, RedisBackplaneOptionsValidator>());
        if (!services.Any(static d => d.ServiceType == typeof(RedisBackplane)))
        {
            services.AddSingleton<BackplaneMetrics>();
            services.AddSingleton<RedisBackplane>();
            services.AddSingleton<IGatewayBackplane>(static sp => sp.GetRequiredService<RedisBackplane>());
            services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<RedisBackplane>());
            services.AddSingleton(typeof(IGatewayPresence<>), typeof(RedisPresence<>));
        }

        return builder;
    }
}
