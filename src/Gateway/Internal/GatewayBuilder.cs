using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Internal;

internal sealed class GatewayBuilder(IServiceCollection services, GatewayRegistry registry) : IGatewayBuilder
{
    public IServiceCollection Services { get; } = services;

    public IGatewayBuilder AddGateway<TGateway>() where TGateway : class, IWebSocketGateway<TGateway>
    {
        GatewayDefinition<TGateway> definition = TGateway.Definition;
        if (registry.TryAdd(definition))
        {
            definition.Register(Services);
        }

        return this;
    }
}
