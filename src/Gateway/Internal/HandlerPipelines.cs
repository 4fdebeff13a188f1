using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Internal;

/// <summary>
/// Builds each handler's <see cref="HandlerPipeline"/> at start-up from the global components (registered in DI)
/// and the gateway's and handler's attributes (constructed by generated code, one instance per type).
/// </summary>
internal sealed class HandlerPipelines(IServiceProvider services)
{
    private readonly Dictionary<Type, object> _instances = [];
    private readonly IGatewayGuard[] _globalGuards = services.GetServices<IGatewayGuard>().ToArray();
    private readonly IGatewayConnectionGuard[] _globalConnectionGuards = services.GetServices<IGatewayConnectionGuard>().ToArray();
    private readonly IGatewayInterceptor[] _globalInterceptors = services.GetServices<IGatewayInterceptor>().ToArray();
    private readonly IGatewayExceptionFilter[] _globalFilters = services.GetServices<IGatewayExceptionFilter>().ToArray();

    public void Apply(GatewayBinding binding)
    {
        GatewayDefinition definition = binding.Definition;
        object[] classGuards = Create(definition.Components?.Guards);
        object[] classInterceptors = Create(definition.Components?.Interceptors);
        object[] classFilters = Create(definition.Components?.Filters);
        binding.ConnectionGuards = [.. _globalConnectionGuards, .. classGuards.OfType<IGatewayConnectionGuard>()];

        HandlerPipeline?[]? pipelines = null;
        for (int handler = 0; handler < definition.Events.Count; handler++)
        {
            GatewayComponents? own = definition.HandlerComponents?[handler];
            IGatewayGuard[] guards = [.. _globalGuards, .. classGuards.OfType<IGatewayGuard>(), .. Create(own?.Guards).OfType<IGatewayGuard>()];
            IGatewayInterceptor[] interceptors =
                [.. _globalInterceptors, .. classInterceptors.OfType<IGatewayInterceptor>(), .. Create(own?.Interceptors).OfType<IGatewayInterceptor>()];
            IGatewayExceptionFilter[] filters =
                [.. Create(own?.Filters).OfType<IGatewayExceptionFilter>(), .. classFilters.OfType<IGatewayExceptionFilter>(), .. _globalFilters];
            if (guards.Length + interceptors.Length + filters.Length > 0)
            {
                pipelines ??= new HandlerPipeline?[definition.Events.Count];
                pipelines[handler] = new HandlerPipeline(guards, interceptors, filters);
            }
        }

        binding.Pipelines = pipelines;
    }

    private object[] Create(IReadOnlyList<GatewayComponent>? components)
    {
        if (components is null || components.Count == 0)
        {
            return [];
        }

        var instances = new object[components.Count];
        for (int i = 0; i < instances.Length; i++)
        {
            GatewayComponent component = components[i];
            if (!_instances.TryGetValue(component.Type, out object? instance))
            {
                _instances[component.Type] = instance = component.Create(services);
            }

            instances[i] = instance;
        }

        return instances;
    }
}
