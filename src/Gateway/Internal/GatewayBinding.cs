namespace Gateway.Internal;

/// <summary>A gateway definition bound to the application's instance of the gateway.</summary>
internal abstract class GatewayBinding(GatewayDefinition definition, object instance)
{
    public GatewayDefinition Definition { get; } = definition;

    public object Instance { get; } = instance;

    public abstract ValueTask InvokeAsync(int handler, GatewayMessage message);
}

internal sealed class GatewayBinding<TGateway>(GatewayDefinition<TGateway> definition, TGateway instance)
    : GatewayBinding(definition, instance)
    where TGateway : class
{
    public override ValueTask InvokeAsync(int handler, GatewayMessage message) =>
        definition.InvokeAsync(instance, handler, message);
}
