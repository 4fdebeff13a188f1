using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// The HTTP side of Engine.IO v4 (github.com/socketio/engine.io-protocol): the handshake, long-polling GET/POST, the
/// WebSocket transport and the upgrade, CORS for polling, and the errors the npm server answers with.
/// </summary>
internal sealed class EngineIoServer(
    SocketIOOptions options, IList<string> allowedOrigins, ILogger logger, Func<EngineIoSession, IEngineIoHandler> handlers)
{
    private readonly ConcurrentDictionary<string, EngineIoSession> _sessions = new(StringComparer.Ordinal);

    public SocketIOOptions Options { get; } = options;

    public ILogger Logger { get; } = logger;

    public int SessionCount => _sessions.Count;

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!OriginPolicy.IsAllowed(request, allowedOrigins))
        {
            await RespondErrorAsync(context, Errors.Forbidden);
            return;
        }

        AddCorsHeaders(context);
        if (HttpMethods.IsOptions(request.Method))
        {
            // A preflight of a cross-origin long-polling request.
            context.Response.Headers.AccessControlAllowMethods = "GET, POST";
            if (request.Headers.AccessControlRequestHeaders is { Count: > 0 } requested)
            {
                context.Response.Headers.AccessControlAllowHeaders = requested;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (request.Query["EIO"] != "4")
        {
            await RespondErrorAsync(context, Errors.UnsupportedProtocolVersion);
            return;
        }

        string? transport = request.Query["transport"];
        bool webSocket = transport == "websocket";
        if (!webSocket && !(transport == "polling" && Options.AllowLongPolling))
        {
            await RespondErrorAsync(context, Errors.UnknownTransport);
            return;
        }

        string? sid = request.Query["sid"];
        if (sid is null)
        {
            await OpenAsync(context, webSocket).ConfigureAwait(false);
            return;
        }

        if (!_sessions.TryGetValue(sid, out EngineIoSession? session) || session.HasExpired())
        {
            await RespondErrorAsync(context, Errors.UnknownSid);
            return;
        }

        if (webSocket)
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await RespondErrorAsync(context, Errors.BadRequest);
                return;
            }

            // Counted before the 101 goes out: a poll the client sends after it knows the WebSocket is open waits for
            // the probe's outcome (see PollAsync).
            session.BeginUpgrade();
            bool probing = false;
            try
            {
                using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
                if (session.IsWebSocket || session.IsUpgrading)
                {
                    // The npm server accepts, then closes, a second WebSocket for a session already upgraded or upgrading.
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                // The session ends the upgrade itself once the probe is over, and goes on over this WebSocket.
                probing = true;
                await session.RunWebSocketAsync(socket, upgrade: true).ConfigureAwait(false);
            }
            finally
            {
                if (!probing)
                {
                    session.EndUpgrade();
                }
            }

            return;
        }

        if (session.IsWebSocket)
        {
            await RespondErrorAsync(context, Errors.BadRequest);
            return;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            await session.PollAsync(context).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(request.Method))
        {
            await session.ReceivePostAsync(context).ConfigureAwait(false);
        }
        else
        {
            await RespondErrorAsync(context, Errors.BadRequest);
        }
    }

    private async Task OpenAsync(HttpContext context, bool webSocket)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await RespondErrorAsync(context, Errors.BadHandshakeMethod);
            return;
        }

        if (webSocket && !context.WebSockets.IsWebSocketRequest)
        {
            await RespondErrorAsync(context, Errors.BadRequest);
            return;
        }

        var session = new EngineIoSession(this, context, webSocket);
        session.Handler = handlers(session);
        _sessions[session.Id] = session;
        Log.SocketIOSessionOpened(Logger, session.Id, webSocket ? "websocket" : "polling");
        if (!webSocket)
        {
            byte[] open = System.Text.Encoding.UTF8.GetBytes(session.OpenPacket(upgradable: true));
            context.Response.ContentType = "text/plain; charset=UTF-8";
            context.Response.ContentLength = open.Length;
            await context.Response.Body.WriteAsync(open, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        }
        catch
        {
            session.Close("transport error", byClient: false);
            throw;
        }

        using (socket)
        {
            try
            {
                await socket.SendAsync(
                    System.Text.Encoding.UTF8.GetBytes(session.OpenPacket(upgradable: false)), WebSocketMessageType.Text, true, context.RequestAborted)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                session.Close("transport error", byClient: false);
                return;
            }

            await session.RunWebSocketAsync(socket, upgrade: false).ConfigureAwait(false);
        }
    }

    public void Remove(EngineIoSession session) => _sessions.TryRemove(new KeyValuePair<string, EngineIoSession>(session.Id, session));

    /// <summary>The application is stopping: sessions without a namespace connection close now (the others with it).</summary>
    public void CloseIdle()
    {
        foreach (EngineIoSession session in _sessions.Values)
        {
            if (session.Handler is not SocketIoConnection { IsIdle: false })
            {
                session.Close("server shutting down", byClient: false);
            }
        }
    }

    private static void AddCorsHeaders(HttpContext context)
    {
        string? origin = context.Request.Headers[HeaderNames.Origin];
        if (!string.IsNullOrEmpty(origin))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlAllowCredentials = "true";
            context.Response.Headers.Vary = HeaderNames.Origin;
        }
    }

    /// <summary>An error as the npm server answers it: the status and <c>{"code":...,"message":...}</c>.</summary>
    public static async Task RespondErrorAsync(HttpContext context, Error error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = error.Code == Errors.Forbidden.Code ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        byte[] body = System.Text.Encoding.UTF8.GetBytes($"{{\"code\":{error.Code},\"message\":\"{error.Message}\"}}");
        context.Response.ContentLength = body.Length;
        try
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client left before its error: nothing to tell it.
        }
    }

    internal readonly record struct Error(int Code, string Message);

    /// <summary>engine.io's <c>Server.errors</c>.</summary>
    internal static class Errors
    {
        public static readonly Error UnknownTransport = new(0, "Transport unknown");
        public static readonly Error UnknownSid = new(1, "Session ID unknown");
        public static readonly Error BadHandshakeMethod = new(2, "Bad handshake method");
        public static readonly Error BadRequest = new(3, "Bad request");
        public static readonly Error Forbidden = new(4, "Forbidden");
        public static readonly Error UnsupportedProtocolVersion = new(5, "Unsupported protocol version");
    }
}
