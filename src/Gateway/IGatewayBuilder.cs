using Microsoft.Extensions.DependencyInjection;

namespace Gateway;

/// <summary>Configures the gateways of an application.</summary>
public interface IGatewayBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>Adds the gateway <typeparamref name="TGateway"/> (a no-op when it was added already).</summary>
    /// <typeparam name="TGateway">A <see cref="WebSocketGatewayAttribute"/> class.</typeparam>
    IGatewayBuilder AddGateway<TGateway>() where TGateway : class, IWebSocketGateway<TGateway>;
}
