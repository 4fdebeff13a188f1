using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

using Gateway.Internal.Protocol;

namespace Gateway.Internal.SocketIO;

/// <summary>The Socket.IO endpoint: its Engine.IO server and the namespaces its gateways declare.</summary>
internal sealed class SocketIoServer
{
    private readonly Dictionary<string, SocketIoNamespace> _namespaces;

    public SocketIoServer(SocketIOOptions options, Dictionary<string, SocketIoNamespace> namespaces, CancellationToken applicationStopping)
    {
        Options = options;
        _namespaces = namespaces;
        ApplicationStopping = applicationStopping;
    }

    public SocketIOOptions Options { get; }

    public CancellationToken ApplicationStopping { get; }

    public SocketIoNamespace? Find(string @namespace) => _namespaces.GetValueOrDefault(@namespace);
}

/// <summary>One namespace: the endpoint (registry, options, metrics) its connections run on, and its gateways.</summary>
internal sealed class SocketIoNamespace(
    string @namespace, GatewayEndpoint endpoint, GatewayInitializer initializer, IServiceProvider services, GatewayDefinition[] definitions)
{
    private AuthorizationPolicy? _policy;
    private bool _policyResolved;

    public string Name { get; } = @namespace;

    public SocketIoProtocol Protocol { get; } = (SocketIoProtocol)endpoint.Protocol;

    /// <summary>Connection state recovery (GatewayOptions.Resumption), shared with the ws paths.</summary>
    public GatewayResumptionOptions Resumption => endpoint.Options.Resumption;

    /// <summary>The connections that lost their session and wait for their client, by pid; null when recovery is off.</summary>
    public ConcurrentDictionary<string, SocketIoSocket>? Away { get; } =
        endpoint.Options.Resumption.Enabled ? new(StringComparer.Ordinal) : null;

    /// <summary>Counts a client that came back with a pid, on <c>gateway.server.connection.resumptions</c>.</summary>
    public void Recovered(string outcome) => endpoint.Metrics.Resumption(endpoint.Path, outcome);

    /// <summary>
    /// Runs one client's connection to the namespace: the gateways' <c>[Authorize]</c> (what the handshake of the ws
    /// endpoint checks), the connection limits, then the gateway connection itself.
    /// </summary>
    public async Task RunAsync(SocketIoSocket socket)
    {
        HandshakeSnapshot handshake = socket.Session.Handshake;
        GatewayBinding[] bindings = await initializer.GetNamespaceBindingsAsync(Name, handshake.LocalPort, socket.Aborted).ConfigureAwait(false);
        if (bindings.Length == 0)
        {
            await socket.Session.SendAsync(SocketIoProtocol.ConnectErrorPacket(Name, "Invalid namespace"), socket.Session.Closed).ConfigureAwait(false);
            return;
        }

        if (await AuthorizePolicyAsync().ConfigureAwait(false) is { } policy)
        {
            IAuthorizationService authorization = services.GetRequiredService<IAuthorizationService>();
            AuthorizationResult result = await authorization.AuthorizeAsync(handshake.User, resource: null, policy).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                bool authenticated = handshake.User.Identity?.IsAuthenticated == true;
                endpoint.Metrics.ConnectionRejected(endpoint.Path, authenticated ? "forbidden" : "unauthorized");
                await socket.Session.SendAsync(
                    SocketIoProtocol.ConnectErrorPacket(Name, authenticated ? "Forbidden" : "Unauthorized"), socket.Session.Closed).ConfigureAwait(false);
                return;
            }
        }

        string? rejected = endpoint.TryEnterLimits(handshake.RemoteIpAddress);
        if (rejected is not null)
        {
            endpoint.Metrics.ConnectionRejected(endpoint.Path, rejected);
            await socket.Session.SendAsync(SocketIoProtocol.ConnectErrorPacket(Name, "Too many connections"), socket.Session.Closed).ConfigureAwait(false);
            return;
        }

        try
        {
            var connection = new GatewayConnection(endpoint, socket, handshake.CreateContext(services, socket.Aborted), bindings);
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            endpoint.ExitLimits(handshake.RemoteIpAddress);
        }
    }

    // The gateways' class-level [Authorize]/[AllowAnonymous], combined once as the ws endpoint's metadata is.
    private async ValueTask<AuthorizationPolicy?> AuthorizePolicyAsync()
    {
        if (_policyResolved)
        {
            return _policy;
        }

        object[] metadata = [.. definitions.SelectMany(static d => d.EndpointMetadata)];
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            IAuthorizationPolicyProvider provider = services.GetService<IAuthorizationPolicyProvider>()
                ?? throw new InvalidOperationException("A gateway has [Authorize], but authorization is not set up: call builder.Services.AddAuthorization().");
            _policy = await AuthorizationPolicy.CombineAsync(provider, metadata.OfType<IAuthorizeData>()).ConfigureAwait(false);
        }

        _policyResolved = true;
        return _policy;
    }
}
