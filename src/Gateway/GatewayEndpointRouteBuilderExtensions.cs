using Gateway.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the WebSocket endpoints of the application's gateways.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps one WebSocket endpoint per gateway path. Gateways that share a path serve the same connections.
    /// The endpoints accept WebSocket upgrades even when <c>app.UseWebSockets()</c> was not called.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <returns>
    /// A builder for conventions (authorization, CORS, ...) applied to every gateway endpoint, or through
    /// <see cref="GatewayEndpointConventionBuilder.For{TGateway}"/> to one gateway's.
    /// </returns>
    /// <exception cref="InvalidOperationException">Gateway services were not added, or two gateways on one path claim the same event.</exception>
    public static GatewayEndpointConventionBuilder MapGateways(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProvider services = endpoints.ServiceProvider;
        GatewayRegistry registry = GatewayRegistry.From(services, "app.MapGateways()");

        var builders = new Dictionary<string, IEndpointConventionBuilder>(StringComparer.Ordinal);
        foreach (IGrouping<string, GatewayDefinition> path in registry.Definitions.GroupBy(static d => d.Path, StringComparer.Ordinal))
        {
            ThrowOnDuplicateEvents(path, "path");
            var endpoint = GatewayEndpoint.Create(services, path.Key, services.GetRequiredService<ConnectionRegistries>().For(path.Key));
            IApplicationBuilder app = endpoints.CreateApplicationBuilder();
            // Before the WebSocket middleware captures the upgrade: frame headers are read as they pass, so a message
            // over MaxMessageSize is refused by its header (when the app ran UseWebSockets itself, by reading it).
            long maxMessageSize = endpoint.Options.MaxMessageSize;
            app.Use(next => context =>
            {
                if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
                    && context.Features.Get<IHttpWebSocketFeature>() is null)
                {
                    context.Features.Set<IHttpUpgradeFeature>(new MessageSizeGuard.UpgradeFeature(upgrade, maxMessageSize));
                }

                return next(context);
            });
            app.UseWebSockets();
            app.Run(endpoint.HandleAsync);
            RequestDelegate pipeline = app.Build();
            // The gateways' [Authorize]/[AllowAnonymous] (generated): the authorization middleware checks them before
            // the upgrade. Gateways sharing a path share its endpoint, so the metadata of all of them applies.
            builders.Add(path.Key, endpoints.Map(path.Key, pipeline)
                .WithMetadata([.. path.SelectMany(static d => d.EndpointMetadata)])
                .WithDisplayName($"Gateway {string.Join(", ", path.Select(static d => d.Name))} at {path.Key}"));
        }

        return new GatewayEndpointConventionBuilder(builders);
    }

    // The generator reports duplicates within one project (GW0003); this catches gateways from several assemblies,
    // with GW0003's wording.
    internal static void ThrowOnDuplicateEvents(IGrouping<string, GatewayDefinition> path, string kind)
    {
        // Gateways on different ports may share an event; one served on every port shares each port with the others.
        var owners = new Dictionary<string, List<GatewayDefinition>>(StringComparer.Ordinal);
        foreach (GatewayDefinition definition in path)
        {
            foreach (string @event in definition.Events)
            {
                if (!owners.TryGetValue(@event, out List<GatewayDefinition>? claimed))
                {
                    owners[@event] = claimed = [];
                }

                if (claimed.Find(c => c.Port is null || definition.Port is null || c.Port == definition.Port) is { } owner)
                {
                    throw new InvalidOperationException(
                        $"The event '{@event}' on {kind} '{path.Key}' is already handled by {owner.Name}; "
                        + $"each event of a {kind} must have exactly one handler (the gateway {definition.Name} claims it too)");
                }

                claimed.Add(definition);
            }
        }
    }
}
