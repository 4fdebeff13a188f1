using Gateway.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the gateways' health check to ASP.NET Core's health checks.</summary>
public static class GatewayHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check named <paramref name="name"/>: Healthy with the open connections of each gateway path; Degraded
    /// while the Redis backplane (when added) cannot reach Redis; Unhealthy once the application is stopping, so a
    /// readiness probe (<c>app.MapHealthChecks("/health/ready", new() { Predicate = c =&gt; c.Tags.Contains("ready") })</c>)
    /// takes the node out of rotation while its connections close.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>builder.Services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">The check's tags; <c>ready</c> when none are given.</param>
    public static IHealthChecksBuilder AddGatewayHealthChecks(this IHealthChecksBuilder builder, string name = "gateway", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static services => new GatewayHealthCheck(
                services.GetService<ConnectionRegistries>()
                    ?? throw new InvalidOperationException("Gateway services are missing: call builder.Services.AddGateways() before AddGatewayHealthChecks()."),
                services.GetRequiredService<IHostApplicationLifetime>()),
            failureStatus: null,
            tags: tags ?? ["ready"]));
    }
}
