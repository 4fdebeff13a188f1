
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The conventions of the gateway endpoints <c>MapGateways()</c> mapped: on this builder for all of them
/// (<c>.RequireAuthorization()</c>, <c>.RequireCors(...)</c>), through <see cref="For{TGateway}"/> for one.
/// </summary>
public sealed class GatewayEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly Dictionary<string, IEndpointConventionBuilder> _byPath;

    internal GatewayEndpointConventionBuilder(Dictionary<string, IEndpointConventionBuilder> byPath) => _byPath = byPath;

    /// <summary>
    /// The conventions of the endpoint <typeparamref name="TGateway"/> is served on. Gateways that share a path
    /// share its endpoint, so a convention added here applies to all of them.
    /// </summary>
    /// <typeparam name="TGateway">A gateway class the application added.</typeparam>
    /// <exception cref="InvalidOperationException">The gateway was not added (<c>AddGateways()</c> adds every gateway of the project).</exception>
    public IEndpointConventionBuilder For<TGateway>() where TGateway : class, IWebSocketGateway<TGateway>
    {
        string path = TGateway.Definition.Path;
        return _byPath.TryGetValue(path, out IEndpointConventionBuilder? builder)
            ? builder
            : throw new InvalidOperationException(
                $"{TGateway.Definition.Name} is not mapped: add it with builder.Services.AddGateways() before app.MapGateways().");
    }

    /// <inheritdoc/>
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (IEndpointConventionBuilder builder in _byPath.Values)
        {
            builder.Add(convention);
        }
    }

    /// <inheritdoc/>
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (IEndpointConventionBuilder builder in _byPath.Values)
        {
            builder.Finally(finallyConvention);
        }
    }
}
