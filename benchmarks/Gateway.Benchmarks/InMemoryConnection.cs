using Gateway.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Benchmarks;

/// <summary>A real <see cref="GatewayConnection"/> over a <see cref="NullWebSocket"/>, wired with the real services.</summary>
internal sealed class InMemoryConnection : IDisposable
{
    private readonly ServiceProvider _services;

    private InMemoryConnection(ServiceProvider services, GatewayConnection connection)
    {
        _services = services;
        Connection = connection;
    }

    public GatewayConnection Connection { get; }

    public static InMemoryConnection Create()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, IdleLifetime>();
        services.AddScoped<BenchScopedService>();
        services.AddGatewayCore().AddGateway<BenchGateway>();
        ServiceProvider provider = services.BuildServiceProvider();
        GatewayInitializer initializer = provider.GetRequiredService<GatewayInitializer>();
        GatewayBinding[] bindings = initializer.GetBindingsAsync("/", 0, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var endpoint = new GatewayEndpoint(
            "/",
            initializer,
            provider.GetRequiredService<IOptions<GatewayOptions>>().Value,
            provider.GetRequiredService<GatewayMetrics>(),
            NullLoggerFactory.Instance,
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<ConnectionRegistries>().For("/"),
            provider.GetRequiredService<IServiceScopeFactory>());
        var http = new DefaultHttpContext { RequestServices = provider };
        return new InMemoryConnection(provider, new GatewayConnection(endpoint, new NullWebSocket(), http, bindings));
    }

    public void Dispose() => _services.Dispose();

    private sealed class IdleLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
