using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Internal;

/// <summary>The gateway definitions added to the application, in the order they were added.</summary>
internal sealed class GatewayRegistry
{
    private readonly List<GatewayDefinition> _definitions = [];

    public IReadOnlyList<GatewayDefinition> Definitions => _definitions;

    /// <summary>The application's gateways, or a clear error when <c>AddGateways()</c> was not called before <paramref name="map"/>.</summary>
    public static GatewayRegistry From(IServiceProvider services, string map) =>
        services.GetService<GatewayRegistry>()
            ?? throw new InvalidOperationException($"Gateway services are missing: call builder.Services.AddGateways() before {map}.");

    public bool TryAdd(GatewayDefinition definition)
    {
        if (_definitions.Contains(definition))
        {
            return false;
        }

        _definitions.Add(definition);
        return true;
    }
}
