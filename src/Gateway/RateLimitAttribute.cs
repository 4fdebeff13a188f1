namespace Gateway;

/// <summary>
/// Limits the messages a handler (or, on a gateway class, each of its handlers) takes with the rate limiter
/// registered under <see cref="Policy"/> in <see cref="GatewayRateLimitingOptions.Policies"/>. A handler's own
/// attribute wins over its class's. The application does not start while a policy is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class RateLimitAttribute : Attribute
{
    /// <summary>Limits the handler with the policy <paramref name="policy"/>.</summary>
    public RateLimitAttribute(string policy)
    {
        Policy = policy;
    }

    /// <summary>The name of the policy in <see cref="GatewayRateLimitingOptions.Policies"/>.</summary>
    public string Policy { get; }
}
