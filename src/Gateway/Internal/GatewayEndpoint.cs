using System.Net.WebSockets;
using Gateway.Internal.Protocol;
using Gateway.Internal.Resumption;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Internal;

/// <summary>The WebSocket endpoint of one path: accepts upgrades and runs a <see cref="GatewayConnection"/> for each.</summary>
internal sealed class GatewayEndpoint(
    string path,
    GatewayInitializer initializer,
    GatewayOptions options,
    GatewayMetrics metrics,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime,
    ConnectionRegistry connections,
    IServiceScopeFactory scopeFactory)
{
    private readonly ConnectionLimits _limits = new(options);
    private readonly GatewayPath _path = new(path);

    // The connections that may be resumed; null when GatewayOptions.Resumption is off.
    private readonly ResumableSessions? _sessions = options.Resumption.Enabled
        ? new ResumableSessions(options.Resumption, metrics, loggerFactory.CreateLogger<GatewayConnection>(), path)
        : null;

    /// <summary>The endpoint of <paramref name="path"/> (a gateway path, or a Socket.IO namespace's key) over <paramref name="connections"/>.</summary>
    public static GatewayEndpoint Create(IServiceProvider services, string path, ConnectionRegistry connections) => new(
        path,
        services.GetRequiredService<GatewayInitializer>(),
        services.GetRequiredService<IOptions<GatewayOptions>>().Value,
        services.GetRequiredService<GatewayMetrics>(),
        services.GetRequiredService<ILoggerFactory>(),
        services.GetRequiredService<IHostApplicationLifetime>(),
        connections,
        services.GetRequiredService<IServiceScopeFactory>());

    public string Path { get; } = path;

    public GatewayOptions Options { get; } = options;

    public GatewayMetrics Metrics { get; } = metrics;

    /// <summary>Logs the handshakes, under the category <c>Gateway.Internal.GatewayEndpoint</c>.</summary>
    public ILogger Logger { get; } = loggerFactory.CreateLogger<GatewayEndpoint>();

    /// <summary>Logs the connections' lives and messages, under <c>Gateway.Internal.GatewayConnection</c>.</summary>
    public ILogger ConnectionLogger { get; } = loggerFactory.CreateLogger<GatewayConnection>();

    public ConnectionRegistry Connections { get; } = connections;

    public WireProtocol Protocol => Connections.Protocol;

    /// <summary>Creates the DI scope of each handled message, from the application's root services.</summary>
    public IServiceScopeFactory ScopeFactory { get; } = scopeFactory;

    public CancellationToken ApplicationStopping => lifetime.ApplicationStopping;

    /// <summary>The payload validator, set by the initialization every connection awaits; null when no handler validates.</summary>
    public GatewayValidator? Validator => initializer.Validator;

    public async Task HandleAsync(HttpContext context)
    {
        if (!GatewayPath.HasValidEncoding(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // Routing matches without case and with a trailing slash; a gateway's path is exact (spec section 1, as
        // NestJS's ws adapter refuses "/ws-path/" and "/WS-PATH" for "/ws-path").
        if (!_path.Matches(context.Request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // A path whose gateways are all on other ports (NestJS's [WebSocketGateway(port)]) is not served here.
        GatewayBinding[] bindings = await initializer.GetBindingsAsync(Path, context.Connection.LocalPort, context.RequestAborted).ConfigureAwait(false);
        if (bindings.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            // RFC 6455 §4.2.2: a handshake the server cannot accept (say, another version) is told the version it speaks.
            context.Response.Headers.SecWebSocketVersion = "13";
            await context.Response.WriteAsync("This path is a WebSocket endpoint: connect with a WebSocket client.").ConfigureAwait(false);
            return;
        }

        if (!OriginPolicy.IsAllowed(context.Request, Options.AllowedOrigins))
        {
            Reject(context, StatusCodes.Status403Forbidden, RejectReasons.Origin);
            return;
        }

        // A client coming back to a connection that waits for it is already counted, by that connection.
        string? token = null;
        long received = 0;
        bool resumable = _sessions is not null && ResumptionWire.TryReadRequest(context.Request, out token, out received);
        bool returning = resumable && token is not null && _sessions!.Waits(token);
        string? rejected = returning ? null : _limits.TryEnter(context.Connection.RemoteIpAddress);
        if (rejected is not null)
        {
            Reject(context, rejected == RejectReasons.IpLimit ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable, rejected);
            return;
        }

        try
        {
            using WebSocket socket = await context.WebSockets
                .AcceptWebSocketAsync(new WebSocketAcceptContext
                {
                    KeepAliveInterval = Options.KeepAliveInterval,
                    KeepAliveTimeout = Options.KeepAliveTimeout,
                })
                .ConfigureAwait(false);
            MessageSizeGuard? guard = (context.Features.Get<IHttpUpgradeFeature>() as MessageSizeGuard.UpgradeFeature)?.Guard;
            ResumableSocket? connectionSocket = null;
            if (resumable)
            {
                string? lost = null;
                if (token is not null)
                {
                    (string outcome, Task? transportDone) = await _sessions!.ResumeAsync(token, received, socket, context.RequestAborted).ConfigureAwait(false);
                    if (transportDone is not null)
                    {
                        // The resumed connection runs on the request that opened it; this one lends it its transport.
                        await transportDone.ConfigureAwait(false);
                        return;
                    }

                    lost = outcome;
                }

                connectionSocket = new ResumableSocket(socket, _sessions!, Protocol, lost);
            }

            try
            {
                var connection = new GatewayConnection(this, connectionSocket ?? socket, context, bindings, guard);
                await connection.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                connectionSocket?.Dispose();
            }
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex) && context.RequestAborted.IsCancellationRequested)
        {
            // A client that came back to resume and went again while it was being sent what it missed.
        }
        finally
        {
            if (!returning)
            {
                _limits.Exit(context.Connection.RemoteIpAddress);
            }
        }
    }

    /// <summary>Counts a connection against the connection limits; the reason it is refused, or null.</summary>
    public string? TryEnterLimits(System.Net.IPAddress? address) => _limits.TryEnter(address);

    public void ExitLimits(System.Net.IPAddress? address) => _limits.Exit(address);

    /// <summary>Refuses a handshake; the client learns the status code only (a browser not even that).</summary>
    private void Reject(HttpContext context, int statusCode, string reason)
    {
        Metrics.ConnectionRejected(Path, reason);
        Log.ConnectionRejectedAtHandshake(Logger, Path, reason, context.Connection.RemoteIpAddress?.ToString());
        context.Response.StatusCode = statusCode;
    }

    /// <summary>The <c>gateway.reject.reason</c> tag of <c>gateway.server.connections.rejected</c>.</summary>
    internal static class RejectReasons
    {
        public const string Origin = "origin";
        public const string GatewayFull = "gateway_full";
        public const string IpLimit = "ip_limit";
        public const string UserLimit = "user_limit";
    }
}
