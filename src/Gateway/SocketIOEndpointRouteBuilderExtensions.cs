using Gateway;
using Gateway.Internal;
using Gateway.Internal.SocketIO;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the application's gateways over Socket.IO, for socket.io-client apps.</summary>
public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves every gateway over Socket.IO v5 (Engine.IO v4: long-polling, WebSocket, and the upgrade between them) at
    /// <see cref="SocketIOOptions.Path"/>, each in its <see cref="WebSocketGatewayAttribute.Namespace"/>: the same
    /// classes, handlers, hooks, pipeline and rooms as <c>MapGateways()</c>, whose NestJS ws clients they may serve at the
    /// same time. Pushes through <see cref="IGatewayServer{TGateway}"/> reach the clients of both protocols.
    /// </summary>
    /// <remarks>Long-polling sessions live on one server instance: behind a load balancer, use sticky sessions.</remarks>
    public static IEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProvider services = endpoints.ServiceProvider;
        GatewayRegistry registry = GatewayRegistry.From(services, "app.MapSocketIO()");
        SocketIOOptions options = services.GetRequiredService<IOptions<SocketIOOptions>>().Value;
        GatewayOptions gatewayOptions = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        ILoggerFactory loggerFactory = services.GetRequiredService<ILoggerFactory>();
        IHostApplicationLifetime lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        ConnectionRegistries registries = services.GetRequiredService<ConnectionRegistries>();
        string path = "/" + options.Path.Trim('/') + "/";
        registries.EnableSocketIO(path);

        var namespaces = new Dictionary<string, SocketIoNamespace>(StringComparer.Ordinal);
        foreach (IGrouping<string, GatewayDefinition> group in registry.Definitions.GroupBy(static d => d.SocketIONamespace, StringComparer.Ordinal))
        {
            GatewayEndpointRouteBuilderExtensions.ThrowOnDuplicateEvents(group, "namespace");
            var endpoint = GatewayEndpoint.Create(services, path + "#" + group.Key, registries.ForNamespace(group.Key)!);
            namespaces[group.Key] = new SocketIoNamespace(
                group.Key, endpoint, services.GetRequiredService<GatewayInitializer>(), services, [.. group]);
        }

        var server = new SocketIoServer(options, namespaces, lifetime.ApplicationStopping);
        var engine = new EngineIoServer(
            options, gatewayOptions.AllowedOrigins, loggerFactory.CreateLogger<EngineIoServer>(), session => new SocketIoConnection(server, session));
        // Each connection says goodbye itself (its DISCONNECT); sessions left without one end so no long poll holds the shutdown.
        lifetime.ApplicationStopping.Register(engine.CloseIdle);

        IApplicationBuilder app = endpoints.CreateApplicationBuilder();
        // Engine.IO has its own heartbeat; WebSocket pings would only double it.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(engine.HandleAsync);
        return endpoints.Map(path, app.Build()).WithDisplayName($"Socket.IO at {path}");
    }
}
