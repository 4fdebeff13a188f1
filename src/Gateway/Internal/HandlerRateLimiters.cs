using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Internal;

/// <summary>Finds the limiter of each <see cref="RateLimitAttribute"/> handler at start-up, so a missing policy stops the start.</summary>
internal static class HandlerRateLimiters
{
    public static PartitionedRateLimiter<GatewayClient>?[]? Resolve(GatewayDefinition definition, IServiceProvider services)
    {
        if (definition.RateLimitPolicies is not { } policies)
        {
            return null;
        }

        IDictionary<string, PartitionedRateLimiter<GatewayClient>> configured =
            services.GetRequiredService<IOptions<GatewayOptions>>().Value.RateLimiting.Policies;
        var limiters = new PartitionedRateLimiter<GatewayClient>?[policies.Count];
        for (int i = 0; i < policies.Count; i++)
        {
            if (policies[i] is not { } policy)
            {
                continue;
            }

            limiters[i] = configured.TryGetValue(policy, out PartitionedRateLimiter<GatewayClient>? limiter)
                ? limiter
                : throw new InvalidOperationException(
                    $"The handler of '{definition.Events[i]}' in {definition.Name} has [RateLimit(\"{policy}\")], but no rate limit " +
                    $"policy '{policy}' is configured: add it with AddGateways(o => o.RateLimiting.Policies[\"{policy}\"] = ...).");
        }

        return limiters;
    }
}
