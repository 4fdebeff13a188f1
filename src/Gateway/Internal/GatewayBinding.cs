using System.Threading.RateLimiting;

namespace Gateway.Internal;

/// <summary>A gateway definition bound to the application's instance of the gateway.</summary>
internal abstract class GatewayBinding(GatewayDefinition definition, object? instance, PartitionedRateLimiter<GatewayClient>?[]? limiters)
{
    public GatewayDefinition Definition { get; } = definition;

    /// <summary>The gateway instance; a per-connection gateway's template has none (each connection binds its own).</summary>
    public object Instance => instance ?? throw new InvalidOperationException($"{Definition.Name} has one instance per connection.");

    public bool IsPerConnection => instance is null;

    /// <summary>The <see cref="RateLimitAttribute"/> limiter of each handler, by handler number; null when none has one.</summary>
    public PartitionedRateLimiter<GatewayClient>?[]? Limiters { get; } = limiters;

    /// <summary>The per-message authorization of the handlers; null when none has <c>[Authorize]</c>. Set at start-up.</summary>
    public HandlerAuthorization? Authorization { get; set; }

    /// <summary>
    /// The guards, interceptors and exception filters of each handler, by handler number (null for a handler without
    /// any, which runs on the direct path); null when no handler has any. Set at start-up.
    /// </summary>
    public HandlerPipeline?[]? Pipelines { get; set; }

    /// <summary>The connection guards of the gateway (global, then its class's); empty when none. Set at start-up.</summary>
    public IGatewayConnectionGuard[] ConnectionGuards { get; set; } = [];

    public abstract ValueTask InvokeAsync(int handler, GatewayMessage message);

    /// <summary>
    /// This per-connection gateway bound to a new instance created from <paramref name="services"/> (the connection's
    /// scope), sharing everything resolved at start-up.
    /// </summary>
    public abstract GatewayBinding ForConnection(IServiceProvider services);

    public abstract ValueTask<object?> CallAsync(int handler, GatewayMessage message);

    public abstract ValueTask SendResultAsync(int handler, object result, GatewayMessage message);
}

internal sealed class GatewayBinding<TGateway>(
    GatewayDefinition<TGateway> definition, TGateway? instance, PartitionedRateLimiter<GatewayClient>?[]? limiters)
    : GatewayBinding(definition, instance, limiters)
    where TGateway : class
{
    public override ValueTask InvokeAsync(int handler, GatewayMessage message) =>
        definition.InvokeAsync(instance!, handler, message);

    public override ValueTask<object?> CallAsync(int handler, GatewayMessage message) =>
        definition.CallAsync(instance!, handler, message);

    public override GatewayBinding ForConnection(IServiceProvider services) =>
        new GatewayBinding<TGateway>(definition, definition.Create(services), Limiters)
        {
            Authorization = Authorization,
            Pipelines = Pipelines,
            ConnectionGuards = ConnectionGuards,
        };

    public override ValueTask SendResultAsync(int handler, object result, GatewayMessage message) =>
        definition.SendResultAsync(handler, result, message);
}
