using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Gateway.Internal.Protocol;
using Gateway.Internal.Resumption;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Internal;

/// <summary>
/// Runs one WebSocket connection: the connection hooks, the receive loop (frames joined into messages in a pooled
/// buffer, bounded by <see cref="GatewayOptions.MaxMessageSize"/>), dispatch, error frames, and the disconnect
/// hooks exactly once.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The message timer is disposed when the receive loop ends, which the connection's run awaits.")]
internal sealed class GatewayConnection
{
    /// <summary>The receive buffer rented for a message; a longer one grows it, and is returned after the message.</summary>
    internal const int InitialBufferSize = 4096;
    private const string RateLimitedReason = "rate_limited";
    private const string MessageTimeoutReason = "message_timeout";
    private const string ForbiddenReason = "forbidden";

    private readonly GatewayEndpoint _endpoint;
    private readonly WebSocket _socket;
    private readonly HttpContext _httpContext;
    // The path's gateways; a copy with this connection's own instances when some gateway is per-connection.
    private GatewayBinding[] _bindings;

    // The DI scope of this connection's per-connection gateways; null when it has none.
    private AsyncServiceScope? _connectionScope;
    private readonly GatewayClient _client;
    private readonly SemaphoreSlim? _parallelism;
    private readonly WireProtocol _protocol;

    // The socket of a client that asked for a resumable connection (GatewayOptions.Resumption); null otherwise.
    private readonly ResumableSocket? _resumable;

    // The DI scope holder of messages handled one after the other; parallel handlers rent theirs from the pool.
    private readonly MessageScope _scope;

    // Reads the frame headers on the way in: a message announced over MaxMessageSize is refused by its header.
    private readonly MessageSizeGuard? _sizeGuard;

    // GatewayRateLimitingOptions.Messages, read once; null when there is no limit.
    private readonly PartitionedRateLimiter<GatewayClient>? _messageLimiter;

    // Set by a message that ends the connection (a rate limit's Close): the receive loop closes after that message.
    private string? _closeAfterMessage;

    // MessageTimeout: the timer (from the first message that took more than one read) and whether one is arriving.
    private Timer? _messageTimer;
    private int _messageArriving;
    private readonly Stack<MessageScope>? _parallelScopes;

    // The upgrade request's activity, which every message's activity links to (default when none was recorded).
    private readonly ActivityContext _handshake;

    public GatewayConnection(
        GatewayEndpoint endpoint, WebSocket socket, HttpContext httpContext, GatewayBinding[] bindings, MessageSizeGuard? sizeGuard = null)
    {
        _sizeGuard = sizeGuard;
        _endpoint = endpoint;
        _socket = socket;
        _httpContext = httpContext;
        _bindings = bindings;
        _protocol = endpoint.Protocol;
        _resumable = socket as ResumableSocket;
        _client = new GatewayClient(
            socket,
            httpContext,
            endpoint.Options,
            endpoint.Connections,
            endpoint.Metrics,
            endpoint.ConnectionLogger,
            // A resumable connection outlives the request whose transport dropped: it ends when it cannot come back.
            _resumable?.Aborted ?? httpContext.RequestAborted,
            endpoint.ApplicationStopping);
        _resumable?.ConnectionId = _client.Id;
        int parallel = endpoint.Options.MaxParallelMessagesPerConnection;
        _parallelism = parallel > 1 ? new SemaphoreSlim(parallel, parallel) : null;
        _scope = new MessageScope(endpoint.ScopeFactory, endpoint.Validator);
        _messageLimiter = endpoint.Options.RateLimiting.Messages;
        _parallelScopes = parallel > 1 ? new Stack<MessageScope>() : null;
        _handshake = httpContext.Features.Get<IHttpActivityFeature>()?.Activity.Context ?? default;
    }

    public async Task RunAsync()
    {
        long opened = Stopwatch.GetTimestamp();
        _endpoint.Metrics.ConnectionOpened(_endpoint.Path);
        // Every log line of this connection, the application's own included, carries its id.
        using IDisposable? logScope = _endpoint.ConnectionLogger.BeginScope(new ConnectionLogScope(_client.Id, _endpoint.Path));
        Log.ConnectionOpened(_endpoint.ConnectionLogger, _client.Id, _endpoint.Path);
        Exception? error = null;
        using CancellationTokenRegistration stopping = _endpoint.ApplicationStopping.Register(
            static state => ((GatewayConnection)state!).CloseForShutdown(), this);
        // Registered before the connection hooks run, so that they can already join rooms.
        _endpoint.Connections.Add(_client);
        // A connection refused before any hook saw it gets no disconnect hook either.
        bool refused = false;
        using Timer? expiry = StartExpiryTimer();
        try
        {
            // Connection guards run before any hook sees the connection, so a refused one gets no disconnect hook.
            refused = !await CheckUserLimitAsync().ConfigureAwait(false)
                || !await GuardConnectionAsync().ConfigureAwait(false)
                || !await BindPerConnectionGatewaysAsync().ConfigureAwait(false);
            if (!refused && await ConnectAsync().ConfigureAwait(false))
            {
                // Socket.IO answers CONNECT only now, once the guards and hooks have let the client in.
                if (_socket is SocketIO.IAcceptingSocket accepting)
                {
                    await TrySendAsync(new RawFrame(accepting.AcceptPacket(_client.Id))).ConfigureAwait(false);
                }

                // A resumable connection tells its client its token, if a connection hook's frame has not already.
                if (_resumable is not null)
                {
                    await AnnounceAsync(_resumable).ConfigureAwait(false);
                }

                error = await ReceiveLoopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Pushes stop first; the disconnect hooks still see the connection's rooms (to tell the others), and the
            // connection leaves every room right after them.
            _client.ReleaseQueuedFrames();
            WebSocketCloseStatus? status = _client.SentCloseStatus ?? (error is null ? _socket.CloseStatus : null);
            try
            {
                if (!refused)
                {
                    await DisconnectAsync(status, error).ConfigureAwait(false);
                }
            }
            finally
            {
                _endpoint.Connections.Remove(_client);
                await ReleasePerConnectionGatewaysAsync().ConfigureAwait(false);
            }

            _endpoint.Metrics.ConnectionClosed(_endpoint.Path, status, Stopwatch.GetElapsedTime(opened));
            Log.ConnectionClosed(_endpoint.ConnectionLogger, _client.Id, status);
        }
    }

    private async ValueTask AnnounceAsync(ResumableSocket resumable)
    {
        try
        {
            await resumable.AnnounceAsync(_client.ConnectionAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
        {
            Log.ErrorFrameNotSent(_endpoint.ConnectionLogger, ex, _client.Id);
        }
    }

    /// <summary>
    /// Creates this connection's instance of each per-connection gateway from a DI scope of the connection's own; a
    /// constructor that fails refuses the connection as a failing connection hook does.
    /// </summary>
    private async ValueTask<bool> BindPerConnectionGatewaysAsync()
    {
        GatewayBinding[]? own = null;
        for (int i = 0; i < _bindings.Length; i++)
        {
            if (!_bindings[i].IsPerConnection)
            {
                continue;
            }

            own ??= [.. _bindings];
            _connectionScope ??= _endpoint.ScopeFactory.CreateAsyncScope();
            try
            {
                own[i] = _bindings[i].ForConnection(_connectionScope.Value.ServiceProvider);
            }
            catch (Exception ex)
            {
                _bindings = own;
                await RefuseConnectionAsync(own[i], ex).ConfigureAwait(false);
                return false;
            }
        }

        _bindings = own ?? _bindings;
        return true;
    }

    /// <summary>Disposes the per-connection gateway instances, then their scope; a failing dispose is logged.</summary>
    private async ValueTask ReleasePerConnectionGatewaysAsync()
    {
        if (_connectionScope is not { } scope)
        {
            return;
        }

        foreach (GatewayBinding binding in _bindings)
        {
            if (binding.IsPerConnection || binding.Definition.Lifetime != GatewayLifetime.Connection)
            {
                continue;
            }

            try
            {
                if (binding.Instance is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else if (binding.Instance is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
            catch (Exception ex)
            {
                Log.GatewayDisposeFailed(_endpoint.ConnectionLogger, ex, binding.Definition.Name, _client.Id);
            }
        }

        try
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ScopeDisposeFailed(_endpoint.ConnectionLogger, ex, _client.Id);
        }
    }

    /// <summary>
    /// <see cref="GatewayOptions.MaxConnectionsPerUser"/>: a user's connection beyond the limit is closed with 1008.
    /// Checked after registering, so two connections racing past the limit are both refused rather than both kept.
    /// </summary>
    private async ValueTask<bool> CheckUserLimitAsync()
    {
        if (_endpoint.Options.MaxConnectionsPerUser is not int max
            || _client.UserId is not { } userId
            || _endpoint.Connections.UserConnectionCount(userId) <= max)
        {
            return true;
        }

        _endpoint.Metrics.ConnectionRejected(_endpoint.Path, GatewayEndpoint.RejectReasons.UserLimit);
        Log.ConnectionOverUserLimit(_endpoint.ConnectionLogger, _client.Id, max);
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Too many connections").ConfigureAwait(false);
        return false;
    }

    private async ValueTask<bool> ConnectAsync()
    {
        foreach (GatewayBinding binding in _bindings)
        {
            if (binding.Instance is not IOnGatewayConnection hook)
            {
                continue;
            }

            try
            {
                await hook.OnConnectedAsync(_client, _httpContext).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await RefuseConnectionAsync(binding, ex).ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Runs the connection guards of the path's gateways before any connection hook; a global guard shared by
    /// gateways on one path runs once.
    /// </summary>
    private async ValueTask<bool> GuardConnectionAsync()
    {
        List<IGatewayConnectionGuard>? ran = null;
        foreach (GatewayBinding binding in _bindings)
        {
            foreach (IGatewayConnectionGuard guard in binding.ConnectionGuards)
            {
                if (ran?.Contains(guard) == true)
                {
                    continue;
                }

                (ran ??= []).Add(guard);
                try
                {
                    if (!await guard.CanConnectAsync(_client, _httpContext).ConfigureAwait(false))
                    {
                        await RefuseConnectionAsync(binding, new WsException("Forbidden resource")).ConfigureAwait(false);
                        return false;
                    }
                }
                catch (Exception ex)
                {
                    await RefuseConnectionAsync(binding, ex).ConfigureAwait(false);
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// A connection refused by a guard or a connection hook: a <see cref="WsException"/> is sent as its frame and
    /// closes with 1008; anything else is logged, sent as "Internal server error" and closes with 1011.
    /// </summary>
    private async ValueTask RefuseConnectionAsync(GatewayBinding binding, Exception exception)
    {
        WebSocketCloseStatus status;
        if (exception is WsException wsException)
        {
            Log.ConnectionRejected(_endpoint.ConnectionLogger, _client.Id, binding.Definition.Name, exception.Message);
            await TrySendAsync(new ConnectionRefusedFrame(exception.Message, wsException)).ConfigureAwait(false);
            status = WebSocketCloseStatus.PolicyViolation;
        }
        else
        {
            Log.ConnectionHookFailed(_endpoint.ConnectionLogger, exception, binding.Definition.Name, _client.Id);
            await TrySendAsync(new ConnectionRefusedFrame("Internal server error", null)).ConfigureAwait(false);
            status = WebSocketCloseStatus.InternalServerError;
        }

        await CloseAsync(status, null).ConfigureAwait(false);
    }

    private async ValueTask DisconnectAsync(WebSocketCloseStatus? status, Exception? error)
    {
        foreach (GatewayBinding binding in _bindings)
        {
            if (binding.Instance is not IOnGatewayDisconnect hook)
            {
                continue;
            }

            try
            {
                await hook.OnDisconnectedAsync(_client, status, error).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.DisconnectHookFailed(_endpoint.ConnectionLogger, ex, binding.Definition.Name, _client.Id);
            }
        }
    }

    /// <returns>The error that ended the connection, or <see langword="null"/> after a close handshake.</returns>
    /// <remarks>
    /// A message that had to be waited for is followed by a zero-byte wait for the next one, without a buffer: a
    /// connection that goes quiet holds no receive buffer (nor makes the WebSocket hold one). A message that was
    /// already there when asked for (a client sending faster than the server answers) is followed by a receive
    /// straight into the buffer it kept, which saves the zero-byte receive per message while the connection is busy;
    /// when such a receive has to wait, the message after it goes back to the zero-byte wait.
    /// </remarks>
    [SuppressMessage("Reliability", "CA2012", Justification = "Each receive is awaited exactly once: the wait started while a handler runs is awaited by the next iteration.")]
    private async ValueTask<Exception?> ReceiveLoopAsync()
    {
        int maxMessageSize = _endpoint.Options.MaxMessageSize;
        // One byte past the limit is enough to tell that a message is too big.
        int bufferLimit = maxMessageSize == int.MaxValue ? int.MaxValue : maxMessageSize + 1;
        byte[]? buffer = null;
        bool waitWithoutBuffer = true;
        CancellationToken aborted = _client.ConnectionAborted;
        // The zero-byte wait started while a handler was still running: a receive is always pending, so the pong
        // that answers a keep-alive ping is read however long a handler takes (see ReceiveWhileHandling).
        ValueTask<ValueWebSocketReceiveResult>? pendingWait = null;
        try
        {
            while (true)
            {
                bool waited = false;
                if (waitWithoutBuffer || pendingWait is not null)
                {
                    ValueTask<ValueWebSocketReceiveResult> wait = pendingWait ?? _socket.ReceiveAsync(Memory<byte>.Empty, aborted);
                    pendingWait = null;
                    waited = !wait.IsCompleted;
                    ValueWebSocketReceiveResult waitResult = await wait.ConfigureAwait(false);
                    if (waitResult.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerCloseAsync().ConfigureAwait(false);
                        return null;
                    }

                    if (_sizeGuard is { TooBig: true })
                    {
                        // The header of the message that is arriving announces more than the limit: no buffer for it.
                        await CloseTooBigAsync(maxMessageSize).ConfigureAwait(false);
                        return null;
                    }

                    if (waitResult.EndOfMessage)
                    {
                        ValueTask handledEmpty = HandleMessageAsync(ReadOnlyMemory<byte>.Empty);
                        pendingWait = ReceiveWhileHandling(handledEmpty, aborted);
                        await handledEmpty.ConfigureAwait(false);
                        if (_closeAfterMessage is not null)
                        {
                            await CloseAfterMessageAsync().ConfigureAwait(false);
                            return null;
                        }

                        waitWithoutBuffer = waited;
                        continue;
                    }
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, bufferLimit));
                int count = 0;
                bool timing = false;
                WebSocketMessageType type;
                while (true)
                {
                    int capacity = Math.Min(buffer.Length, bufferLimit);
                    if (count == capacity)
                    {
                        buffer = Grow(buffer, count, bufferLimit);
                        capacity = Math.Min(buffer.Length, bufferLimit);
                    }

                    ValueTask<ValueWebSocketReceiveResult> receive = _socket.ReceiveAsync(buffer.AsMemory(count, capacity - count), aborted);
                    if (!waitWithoutBuffer && count == 0)
                    {
                        waited = !receive.IsCompleted;
                    }

                    ValueWebSocketReceiveResult result = await receive.ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerCloseAsync().ConfigureAwait(false);
                        return null;
                    }

                    type = result.MessageType;
                    count += result.Count;
                    if (count > maxMessageSize || _sizeGuard is { TooBig: true })
                    {
                        await CloseTooBigAsync(maxMessageSize).ConfigureAwait(false);
                        return null;
                    }

                    if (result.EndOfMessage)
                    {
                        break;
                    }

                    // A message that takes more than one read is timed from here (MessageTimeout).
                    if (!timing)
                    {
                        timing = StartMessageTimer();
                    }
                }

                if (timing)
                {
                    timing = false;
                    StopMessageTimer();
                }

                // The WebSocket checks that text frames are UTF-8 (it fails the connection with 1007 otherwise); a binary
                // frame is read as NestJS's ws adapter reads it, Buffer.toString(), so nothing echoed from it can put
                // invalid UTF-8 on the wire. This rare path allocates.
                ReadOnlyMemory<byte> message = buffer.AsMemory(0, count);
                if (type == WebSocketMessageType.Binary && !Utf8.IsValid(message.Span))
                {
                    message = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(message.Span));
                }

                ValueTask handled = HandleMessageAsync(message);
                pendingWait = ReceiveWhileHandling(handled, aborted);
                await handled.ConfigureAwait(false);
                if (_closeAfterMessage is not null)
                {
                    await CloseAfterMessageAsync().ConfigureAwait(false);
                    return null;
                }

                waitWithoutBuffer = waited;
                if (waitWithoutBuffer || buffer.Length > InitialBufferSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Log.ConnectionLost(_endpoint.ConnectionLogger, ex, _client.Id);
            return ex;
        }
        finally
        {
            if (_parallelism is not null)
            {
                await DrainAsync(_parallelism).ConfigureAwait(false);
            }

            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _messageTimer?.Dispose();
        }
    }

    private ValueTask CloseTooBigAsync(int maxMessageSize)
    {
        _endpoint.Metrics.Error(_endpoint.Path, GatewayMetrics.UnknownEvent, "message_too_big");
        Log.MessageTooBig(_endpoint.ConnectionLogger, _client.Id, maxMessageSize);
        return CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big");
    }

    /// <summary>
    /// Closes with 1008 because the message just handled asked for it (a rate limit's Close). Asked only by a message
    /// that completed at once, so no receive is pending beside the close's.
    /// </summary>
    private ValueTask CloseAfterMessageAsync() => CloseAsync(WebSocketCloseStatus.PolicyViolation, _closeAfterMessage);

    /// <summary>
    /// Arms <see cref="GatewayOptions.MessageTimeout"/> for a message still arriving (its timer is created by the
    /// first such message): a client that starts a message and never finishes it (slowly, fragment by fragment,
    /// answering pings in between) is dropped instead of holding its receive buffer.
    /// </summary>
    private bool StartMessageTimer()
    {
        TimeSpan timeout = _endpoint.Options.MessageTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        if (_messageTimer is null)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _messageTimer = new Timer(static state => ((GatewayConnection)state!).OnMessageTimeout(), this, Timeout.Infinite, Timeout.Infinite);
            }
        }

        Volatile.Write(ref _messageArriving, 1);
        _messageTimer.Change(timeout, Timeout.InfiniteTimeSpan);
        return true;
    }

    private void StopMessageTimer()
    {
        Volatile.Write(ref _messageArriving, 0);
        _messageTimer!.Change(Timeout.Infinite, Timeout.Infinite);
    }

    private void OnMessageTimeout()
    {
        if (Volatile.Read(ref _messageArriving) == 0)
        {
            return;
        }

        _endpoint.Metrics.Error(_endpoint.Path, GatewayMetrics.UnknownEvent, MessageTimeoutReason);
        Log.MessageTimedOut(_endpoint.ConnectionLogger, _client.Id, _endpoint.Options.MessageTimeout);
        _socket.Abort();
    }

    /// <summary>
    /// Starts the zero-byte wait for the next message while a handler that did not complete at once runs, so that
    /// control frames (the pong a keep-alive ping waits for, a close) are read meanwhile; the loop takes the next
    /// message only after the handler, so order holds. A handler that completes at once costs nothing here.
    /// </summary>
    [SuppressMessage("Reliability", "CA2012", Justification = "The caller awaits the receive once, in its next iteration.")]
    private ValueTask<ValueWebSocketReceiveResult>? ReceiveWhileHandling(ValueTask handling, CancellationToken aborted) =>
        handling.IsCompleted ? null : _socket.ReceiveAsync(Memory<byte>.Empty, aborted);

    private static byte[] Grow(byte[] buffer, int count, int limit)
    {
        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
        buffer.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    internal ValueTask HandleMessageAsync(ReadOnlyMemory<byte> message)
    {
        Route route = FindRoute(message.Span);
        if (route.Binding is null && _resumable is not null && route.Status == InboundStatus.UnknownEvent && _resumable.TryAcknowledge(message.Span))
        {
            // The resumable connection's client acknowledged frames: no handler's business, and no rate limit's.
            return default;
        }

        _endpoint.Metrics.MessageReceived(_endpoint.Path, route.Event, message.Length);
        if ((_messageLimiter is not null || route.Binding?.Limiters is not null) && !PassesRateLimits(route))
        {
            return RateLimitedAsync(route, message);
        }

        if (route.Binding is null)
        {
            return DropAsync(route, message);
        }

        if (route.Binding.Authorization?.PolicyOf(route.Handler) is { } policy)
        {
            return AuthorizeThenDispatchAsync(route, message, policy);
        }

        return Dispatch(route, message);
    }

    private ValueTask Dispatch(Route route, ReadOnlyMemory<byte> message)
    {
        ReadOnlyMemory<byte> data = message[route.Data];
        ReadOnlyMemory<byte> id = message[route.Id];
        // Watched only while a listener wants a handler's duration or activity; otherwise not even the clock is read.
        bool observed = _endpoint.Metrics.HandlerDurationEnabled || GatewayActivities.Source.HasListeners();
        ActivityContext parent = observed ? ClientTraceContext(message.Span) : default;
        // Only a Socket.IO message with binary arguments starts with 'b'; NestJS messages start with '{' or '['.
        ulong binary = message.Span is [(byte)'b', ..] ? _protocol.ReadBinaryArguments(message.Span) : 0;
        if (_parallelism is null)
        {
            _scope.BinaryArguments = binary;
            return observed
                ? InvokeObservedAsync(route.Binding!, route.Handler, data, id, _scope, parent)
                : InvokeAsync(route.Binding!, route.Handler, data, id, _scope);
        }

        return StartParallelAsync(route.Binding!, route.Handler, data, id, observed, parent, binary);
    }

    /// <summary>The W3C trace context the client sent beside <c>event</c> and <c>data</c>, if any and valid.</summary>
    private ActivityContext ClientTraceContext(ReadOnlySpan<byte> message) =>
        GatewayActivities.Source.HasListeners()
            && _protocol.TryReadTraceContext(message, out string? traceParent, out string? traceState)
            && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out ActivityContext context)
                ? context
                : default;

    /// <summary>Runs a handler under its observation: the duration histogram and the message's activity.</summary>
    private async ValueTask InvokeObservedAsync(
        GatewayBinding binding, int handler, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> id, MessageScope scope, ActivityContext parent)
    {
        Activity? activity = GatewayActivities.Start(binding, handler, _endpoint.Path, _client.Id, parent, _handshake);
        var observation = new MessageObservation(_endpoint.Metrics, _endpoint.Path, binding.Definition.Events[handler], activity);
        scope.Observation = observation;
        try
        {
            await InvokeAsync(binding, handler, data, id, scope).ConfigureAwait(false);
        }
        finally
        {
            scope.Observation = null;
            observation.Complete();
        }
    }

    /// <summary>
    /// A handler with <c>[Authorize]</c>: the connection's user is checked against its policy first; refused, the
    /// client gets the spec's "Forbidden resource" frame and the connection stays open.
    /// </summary>
    private async ValueTask AuthorizeThenDispatchAsync(Route route, ReadOnlyMemory<byte> message, AuthorizationPolicy policy)
    {
        AuthorizationResult result = await route.Binding!.Authorization!.AuthorizeAsync(_client, policy).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await Dispatch(route, message).ConfigureAwait(false);
            return;
        }

        RecordDropped(route, ForbiddenReason);
        string pattern = route.Binding.Definition.Events[route.Handler];
        await TrySendAsync(new ExceptionFrame("Forbidden resource", pattern, message[route.Data], null, message[route.Id])).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes a permit from <see cref="GatewayRateLimitingOptions.Messages"/> and, for a handler with a
    /// <see cref="RateLimitAttribute"/>, one from its policy. Leases of these limiters hold nothing to give back.
    /// </summary>
    private bool PassesRateLimits(Route route)
    {
        if (_messageLimiter is { } messages && !Acquire(messages))
        {
            return false;
        }

        return route.Binding?.Limiters?[route.Handler] is not { } own || Acquire(own);
    }

    private bool Acquire(PartitionedRateLimiter<GatewayClient> limiter)
    {
        using RateLimitLease lease = limiter.AttemptAcquire(_client);
        return lease.IsAcquired;
    }

    /// <summary>
    /// A message over a rate limit is not handled: the client gets "Too many requests", or its connection is closed
    /// with 1008 by the receive loop once this message is done (it alone may read the socket).
    /// </summary>
    private ValueTask RateLimitedAsync(Route route, ReadOnlyMemory<byte> message)
    {
        RecordDropped(route, RateLimitedReason);
        if (_endpoint.Options.RateLimiting.OnRejected == RateLimitedAction.Close)
        {
            _closeAfterMessage = "Too many requests";
            return default;
        }

        string? pattern = route.Binding is { } binding ? binding.Definition.Events[route.Handler] : route.UnknownEvent;
        return TrySendAsync(new ExceptionFrame("Too many requests", pattern, pattern is null ? default : message[route.Data], null, message[route.Id]));
    }

    private Route FindRoute(ReadOnlySpan<byte> message)
    {
        Span<byte> scratch = stackalloc byte[WireProtocol.MaxEventNameLength];
        InboundStatus status = _protocol.Parse(message, scratch, out ReadOnlySpan<byte> eventName, out Range data, out Range id);
        if (!_endpoint.Options.CorrelationIds && !_protocol.AlwaysCorrelates)
        {
            id = default;
        }

        if (status == InboundStatus.Ok)
        {
            foreach (GatewayBinding binding in _bindings)
            {
                int handler = binding.Definition.FindHandler(eventName);
                if (handler >= 0)
                {
                    return new Route(binding, handler, data, status, id);
                }
            }
        }
        else if (status != InboundStatus.UnknownEvent)
        {
            return new Route(null, -1, data, status, id);
        }

        // Only this rare path turns the name into a string, for the reply (optional, or owed to a correlated message).
        var route = new Route(null, -1, data, InboundStatus.UnknownEvent, id);
        return (_endpoint.Options.ReplyToInvalidMessages || route.IsCorrelated) ? route with { UnknownEvent = Encoding.UTF8.GetString(eventName) } : route;
    }

    /// <summary>A message no handler ran for: counted on <c>gateway.server.errors</c> and logged at Debug.</summary>
    private void RecordDropped(Route route, string reason)
    {
        _endpoint.Metrics.Error(_endpoint.Path, route.Event, reason);
        Log.MessageDropped(_endpoint.ConnectionLogger, _client.Id, reason);
    }

    private async ValueTask DropAsync(Route route, ReadOnlyMemory<byte> message)
    {
        RecordDropped(route, _protocol.DropReason(route.Status));
        // A correlated message is answered whatever the option: its client waits for its id.
        if ((!_endpoint.Options.ReplyToInvalidMessages && !route.IsCorrelated) || !_protocol.AnswersUnknownEvents)
        {
            return;
        }

        ExceptionFrame frame = route.UnknownEvent is { } name
            ? new ExceptionFrame("Unknown event", name, message[route.Data], null, message[route.Id])
            : new ExceptionFrame("Invalid message", null, default, null, message[route.Id]);
        await TrySendAsync(frame).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a handler, then disposes the DI scope of the message if the handler created one. A handler that
    /// completes synchronously and takes no services costs no async state machine and no scope.
    /// </summary>
    private ValueTask InvokeAsync(GatewayBinding binding, int handler, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> id, MessageScope scope)
    {
        scope.CorrelationId = id;
        scope.Terminated = false;
        if (binding.Pipelines?[handler] is { } pipeline)
        {
            return InvokePipelineAsync(pipeline, new GatewayInvocationContext(binding, handler, _client, data, scope));
        }

        ValueTask invocation;
        try
        {
            invocation = binding.InvokeAsync(handler, new GatewayMessage(_client, data, scope));
        }
        catch (Exception ex)
        {
            return ReportHandlerErrorThenEndScopeAsync(ex, binding, handler, data, scope);
        }

        if (!invocation.IsCompletedSuccessfully)
        {
            return AwaitInvocationAsync(invocation, binding, handler, data, scope);
        }

        return scope.IsActive || !id.IsEmpty ? EndMessageAsync(scope) : default;
    }

    private async ValueTask AwaitInvocationAsync(
        ValueTask invocation, GatewayBinding binding, int handler, ReadOnlyMemory<byte> data, MessageScope scope)
    {
        try
        {
            await invocation.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await ReportHandlerErrorAsync(ex, binding, handler, data, scope).ConfigureAwait(false);
        }
        finally
        {
            await EndMessageAsync(scope).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A handler with guards, interceptors or exception filters: an exception of any step goes to the filters first,
    /// and gets the default frame when none handles it.
    /// </summary>
    private async ValueTask InvokePipelineAsync(HandlerPipeline pipeline, GatewayInvocationContext context)
    {
        try
        {
            await pipeline.RunAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (IsConnectionEnding(ex))
            {
                context.Scope.Observation?.End(Outcomes.Cancelled);
            }
            else if (await pipeline.TryFilterAsync(context, ex, _endpoint.ConnectionLogger).ConfigureAwait(false))
            {
                RecordHandlerError(ex, context.Event, context.Scope);
            }
            else
            {
                await ReportHandlerErrorAsync(ex, context.Binding, context.Handler, context.Data, context.Scope).ConfigureAwait(false);
            }
        }
        finally
        {
            await EndMessageAsync(context.Scope).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends a message: a correlated one that sent no terminal frame (a stream, a handler with no result, a filter's own
    /// frame) gets <c>{"id":...,"end":true}</c> so its client stops waiting; then the message's services are disposed.
    /// </summary>
    private async ValueTask EndMessageAsync(MessageScope scope)
    {
        if (!scope.CorrelationId.IsEmpty && !scope.Terminated && _socket.State == WebSocketState.Open)
        {
            await TrySendAsync(new CorrelatedEndFrame(scope.CorrelationId)).ConfigureAwait(false);
        }

        scope.CorrelationId = default;
        await EndScopeAsync(scope).ConfigureAwait(false);
    }

    /// <summary>Disposes the message's services; a failing <c>Dispose</c> is logged and does not end the connection.</summary>
    private async ValueTask EndScopeAsync(MessageScope scope)
    {
        try
        {
            await scope.EndAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ScopeDisposeFailed(_endpoint.ConnectionLogger, ex, _client.Id);
        }
    }

    private async ValueTask StartParallelAsync(
        GatewayBinding binding, int handler, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> id, bool observed, ActivityContext parent, ulong binary)
    {
        SemaphoreSlim parallelism = _parallelism!;
        await parallelism.WaitAsync(_client.ConnectionAborted).ConfigureAwait(false);
        // The receive buffer is reused for the next message, so a handler running beside it gets its own copy of the
        // data, and of the correlation id right after it.
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length + id.Length, 1));
        data.CopyTo(copy);
        id.CopyTo(copy.AsMemory(data.Length));
        _ = RunParallelAsync(binding, handler, copy, data.Length, id.Length, parallelism, observed, parent, binary);
    }

    private async Task RunParallelAsync(
        GatewayBinding binding, int handler, byte[] copy, int length, int idLength, SemaphoreSlim parallelism, bool observed, ActivityContext parent, ulong binary)
    {
        MessageScope scope = RentScope();
        scope.BinaryArguments = binary;
        ReadOnlyMemory<byte> data = copy.AsMemory(0, length);
        ReadOnlyMemory<byte> id = copy.AsMemory(length, idLength);
        try
        {
            await Task.Yield();
            if (observed)
            {
                await InvokeObservedAsync(binding, handler, data, id, scope, parent).ConfigureAwait(false);
            }
            else
            {
                await InvokeAsync(binding, handler, data, id, scope).ConfigureAwait(false);
            }
        }
        finally
        {
            ReturnScope(scope);
            ArrayPool<byte>.Shared.Return(copy);
            parallelism.Release();
        }
    }

    /// <summary>A scope holder for one parallel handler; the pool never holds more than the parallelism allows.</summary>
    private MessageScope RentScope()
    {
        Stack<MessageScope> pool = _parallelScopes!;
        lock (pool)
        {
            if (pool.TryPop(out MessageScope? scope))
            {
                return scope;
            }
        }

        return new MessageScope(_endpoint.ScopeFactory, _endpoint.Validator);
    }

    private void ReturnScope(MessageScope scope)
    {
        Stack<MessageScope> pool = _parallelScopes!;
        lock (pool)
        {
            pool.Push(scope);
        }
    }

    /// <summary>Waits for the handlers still running beside the receive loop by taking every permit.</summary>
    private async ValueTask DrainAsync(SemaphoreSlim parallelism)
    {
        for (int i = 0; i < _endpoint.Options.MaxParallelMessagesPerConnection; i++)
        {
            await parallelism.WaitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends the exception frame of a failed handler, then ends <paramref name="scope"/>.</summary>
    private async ValueTask ReportHandlerErrorThenEndScopeAsync(
        Exception exception, GatewayBinding binding, int handler, ReadOnlyMemory<byte> data, MessageScope scope)
    {
        try
        {
            await ReportHandlerErrorAsync(exception, binding, handler, data, scope).ConfigureAwait(false);
        }
        finally
        {
            await EndMessageAsync(scope).ConfigureAwait(false);
        }
    }

    private async ValueTask ReportHandlerErrorAsync(
        Exception exception, GatewayBinding binding, int handler, ReadOnlyMemory<byte> data, MessageScope scope)
    {
        if (IsConnectionEnding(exception))
        {
            scope.Observation?.End(Outcomes.Cancelled);
            return;
        }

        string pattern = binding.Definition.Events[handler];
        RecordHandlerError(exception, pattern, scope);
        ExceptionFrame frame = exception switch
        {
            WsException ws => new ExceptionFrame(ws.Message, pattern, data, ws, scope.CorrelationId),
            InvalidPayloadException => new ExceptionFrame("Invalid payload", pattern, data, null, scope.CorrelationId),
            _ => InternalError(pattern, data, scope.CorrelationId),
        };
        scope.Terminated = true;
        if (exception is not (WsException or InvalidPayloadException))
        {
            Log.HandlerFailed(_endpoint.ConnectionLogger, exception, pattern, binding.Definition.Name, _client.Id);
        }

        await TrySendAsync(frame).ConfigureAwait(false);
    }

    /// <summary>
    /// Counts a handler's exception on <c>gateway.server.errors</c> by its kind, the outcome of the message's handler
    /// duration and activity when they are observed.
    /// </summary>
    private void RecordHandlerError(Exception exception, string @event, MessageScope scope)
    {
        string errorType = exception switch
        {
            GatewayValidationException => Outcomes.ValidationFailed,
            WsException => Outcomes.WsException,
            InvalidPayloadException => Outcomes.InvalidPayload,
            _ => Outcomes.HandlerException,
        };
        _endpoint.Metrics.Error(_endpoint.Path, @event, errorType);
        scope.Observation?.End(errorType, exception);
    }

    // The connection ending under a handler (its token fired, or its reply could not be sent) is the client's
    // doing, not a failure of the handler.
    private bool IsConnectionEnding(Exception exception) =>
        (exception is OperationCanceledException && _client.IsHandlerAborted)
        || (ConnectionErrors.IsConnectionGone(exception) && _socket.State != WebSocketState.Open);

    private static ExceptionFrame InternalError(string pattern, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> id = default) =>
        new("Internal server error", pattern, data, null, id);

    /// <summary>Sends a frame answering a message (an error, a correlated end); a connection already gone is only logged.</summary>
    private async ValueTask TrySendAsync<TFrame>(TFrame frame)
        where TFrame : IOutboundFrame
    {
        try
        {
            await _client.SendFrameAsync(frame, _client.ConnectionAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
        {
            Log.ErrorFrameNotSent(_endpoint.ConnectionLogger, ex, _client.Id);
        }
    }

    private async ValueTask AnswerCloseAsync()
    {
        if (_socket.State == WebSocketState.CloseReceived)
        {
            await _client.CloseAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, _client.ConnectionAborted)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Sends our close frame and waits a bounded time for the client's, then gives up on the socket.</summary>
    private async ValueTask CloseAsync(WebSocketCloseStatus status, string? description)
    {
        _client.SentCloseStatus = status;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_client.ConnectionAborted);
        timeout.CancelAfter(_endpoint.Options.CloseTimeout);
        try
        {
            await _client.CloseAsync(status, description, timeout.Token).ConfigureAwait(false);
            // Read until the client's close frame; anything else it still sends is discarded.
            byte[] sink = ArrayPool<byte>.Shared.Rent(1024);
            try
            {
                while (_socket.State == WebSocketState.CloseSent)
                {
                    await _socket.ReceiveAsync(sink.AsMemory(), timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sink);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Log.ConnectionLost(_endpoint.ConnectionLogger, ex, _client.Id);
            _socket.Abort();
        }
    }

    /// <summary>
    /// <see cref="GatewayOptions.CloseOnAuthenticationExpiration"/>: a timer for the moment the handshake's
    /// authentication expires, or null (the option is off, or the authentication result has no expiry).
    /// </summary>
    private Timer? StartExpiryTimer()
    {
        if (!_endpoint.Options.CloseOnAuthenticationExpiration
            || _httpContext.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc is not { } expires)
        {
            return null;
        }

        TimeSpan due = expires - DateTimeOffset.UtcNow;
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(
                static state => _ = ((GatewayConnection)state!).CloseForExpiryAsync(),
                this,
                due < TimeSpan.Zero ? TimeSpan.Zero : due,
                Timeout.InfiniteTimeSpan);
        }
    }

    private Task CloseForExpiryAsync()
    {
        Log.AuthenticationExpired(_endpoint.ConnectionLogger, _client.Id);
        return SendCloseAsync(WebSocketCloseStatus.PolicyViolation, "Authentication expired", CancellationToken.None);
    }

    /// <summary>
    /// Sends our close frame from outside the receive loop (a timer, the application stopping); the client's answer
    /// then ends the loop as any close does.
    /// </summary>
    private async Task SendCloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        _client.SentCloseStatus = status;
        try
        {
            await _client.CloseAsync(status, description, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex))
        {
            Log.ConnectionLost(_endpoint.ConnectionLogger, ex, _client.Id);
        }
    }

    private void CloseForShutdown() => _ = CloseForShutdownAsync();

    /// <summary>
    /// A graceful shutdown: the frames queued for the client go out first, then the close frame (1001); both within
    /// <see cref="GatewayOptions.CloseTimeout"/>. The client's close answer ends the receive loop as any close does.
    /// </summary>
    private async Task CloseForShutdownAsync()
    {
        using var timeout = new CancellationTokenSource(_endpoint.Options.CloseTimeout);
        try
        {
            await _client.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // What is still queued is dropped (and counted) when the connection ends.
        }

        await SendCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down", timeout.Token).ConfigureAwait(false);
    }

    private readonly record struct Route(
        GatewayBinding? Binding,
        int Handler,
        Range Data,
        InboundStatus Status,
        Range Id,
        string? UnknownEvent = null)
    {
        /// <summary>Whether the message carried a correlation id (a JSON token is never empty).</summary>
        public bool IsCorrelated => Id.End.Value > Id.Start.Value;

        /// <summary>The <c>gateway.event</c> tag: the handler's event, or <c>_unknown</c> (a bounded set either way).</summary>
        public string Event => Binding is { } binding ? binding.Definition.Events[Handler] : GatewayMetrics.UnknownEvent;
    }
}
