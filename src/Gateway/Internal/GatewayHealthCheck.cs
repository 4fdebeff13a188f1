using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Gateway.Internal;

/// <summary>
/// The health of the gateways: Unhealthy once the application is stopping (so a readiness probe takes the node out
/// of rotation while its connections close), Degraded while a scale-out backplane cannot reach its server (pushes
/// reach this node's connections only), Healthy otherwise; the data gives the open connections of each path.
/// </summary>
internal sealed class GatewayHealthCheck(ConnectionRegistries registries, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (ConnectionRegistry registry in registries.All)
        {
            data["connections " + registry.Path] = registry.Count;
        }

        data["connections"] = registries.ConnectionCount;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The application is stopping; its connections are closing.", data: data));
        }

        if (registries.Backplane is { IsAvailable: false })
        {
            data["backplane"] = "unavailable";
            return Task.FromResult(HealthCheckResult.Degraded(
                "The scale-out backplane cannot reach its server: pushes reach this node's connections only.", data: data));
        }

        if (registries.Backplane is not null)
        {
            data["backplane"] = "available";
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{registries.ConnectionCount} open connection(s).", data));
    }
}
