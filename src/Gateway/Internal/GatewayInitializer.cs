using Microsoft.Extensions.Hosting;

namespace Gateway.Internal;

/// <summary>
/// Creates every gateway and runs its <see cref="IOnGatewayInit"/> hook once, at start-up. Endpoints await the
/// same work, so no connection is served before its gateways are initialized even when no host started us.
/// </summary>
internal sealed class GatewayInitializer(GatewayRegistry registry, IServiceProvider services) : IHostedService
{
    private readonly Lock _lock = new();
    private Task<Dictionary<string, GatewayBinding[]>>? _initialization;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, int Port), GatewayBinding[]> _byPort = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Namespace, int Port), GatewayBinding[]> _byNamespace = new();

    /// <summary>The payload validator (null when no handler validates); set before the initialization completes.</summary>
    public GatewayValidator? Validator { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken) => EnsureInitializedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The gateways of <paramref name="path"/> served on <paramref name="localPort"/>.</summary>
    public async ValueTask<GatewayBinding[]> GetBindingsAsync(string path, int localPort, CancellationToken cancellationToken)
    {
        Dictionary<string, GatewayBinding[]> byPath = await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (!byPath.TryGetValue(path, out GatewayBinding[]? bindings))
        {
            return [];
        }

        foreach (GatewayBinding binding in bindings)
        {
            if (binding.Definition.Port is int port && port != localPort)
            {
                // Only paths with a port-bound gateway pay for this, once per port.
                return _byPort.GetOrAdd((path, localPort), static (key, all) => [.. all.Where(b => b.Definition.Port is null || b.Definition.Port == key.Port)], bindings);
            }
        }

        return bindings;
    }

    /// <summary>The gateways of a Socket.IO namespace that serve <paramref name="localPort"/>.</summary>
    public async ValueTask<GatewayBinding[]> GetNamespaceBindingsAsync(string @namespace, int localPort, CancellationToken cancellationToken)
    {
        Dictionary<string, GatewayBinding[]> byPath = await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return _byNamespace.GetOrAdd(
            (@namespace, localPort),
            static (key, all) => [.. all.Values.SelectMany(static b => b).Where(b =>
                b.Definition.SocketIONamespace == key.Namespace && (b.Definition.Port is null || b.Definition.Port == key.Port))],
            byPath);
    }

    private Task<Dictionary<string, GatewayBinding[]>> EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _initialization ??= InitializeAsync(cancellationToken);
        }
    }

    private async Task<Dictionary<string, GatewayBinding[]>> InitializeAsync(CancellationToken cancellationToken)
    {
        var byPath = new Dictionary<string, List<GatewayBinding>>(StringComparer.Ordinal);
        var pipelines = new HandlerPipelines(services);
        Validator = GatewayValidator.Create(registry.Definitions, services);
        foreach (GatewayDefinition definition in registry.Definitions)
        {
            GatewayBinding binding = definition.Bind(services);
            binding.Authorization = await HandlerAuthorization.ResolveAsync(definition, services).ConfigureAwait(false);
            pipelines.Apply(binding);
            if (!binding.IsPerConnection && binding.Instance is IOnGatewayInit init)
            {
                await init.OnGatewayInitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!byPath.TryGetValue(definition.Path, out List<GatewayBinding>? list))
            {
                byPath[definition.Path] = list = [];
            }

            list.Add(binding);
        }

        return byPath.ToDictionary(static pair => pair.Key, static pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}
