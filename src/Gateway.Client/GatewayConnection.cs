using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Gateway.Client;

/// <summary>
/// A connection to a Gateway server (the NestJS <c>ws</c> protocol with Gateway's request correlation,
/// docs/protocol-extensions.md): requests whose answers are matched by id, streams, fire-and-forget messages, and
/// handlers for the events the server pushes. Safe to use from any thread; every payload is read and written with
/// source-generated JSON metadata, so it runs under Native AOT.
/// </summary>
public sealed class GatewayConnection : IAsyncDisposable
{
    private readonly Uri _uri;
    private readonly GatewayConnectionOptions _options;
    private readonly ConcurrentDictionary<long, Pending> _pending = new();

    // Frames sent while reconnecting, in order, with the request id each answers (0 for none).
    private readonly Queue<(byte[] Frame, long Id)> _offline = new();
    private ClientWebSocket _socket;

    // Which connection a request's frame went out on: a drop fails the requests of its connection only.
    private int _generation;
    private GatewayConnectionState _state = GatewayConnectionState.Connected;
    private readonly Dictionary<string, List<Action<JsonElement>>> _handlers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _receiving;
    private long _nextId;

    private GatewayConnection(Uri uri, ClientWebSocket socket, GatewayConnectionOptions options)
    {
        _uri = uri;
        _socket = socket;
        _options = options;
        _receiving = RunAsync();
    }

    /// <summary>Raised when <see cref="State"/> changes, on the connection's own loop (keep the handler short).</summary>
    public event Action<GatewayConnectionState>? StateChanged;

    /// <summary>Where the connection stands.</summary>
    public GatewayConnectionState State => _state;

    /// <summary>Completes when the connection is <see cref="GatewayConnectionState.Disconnected"/> for good.</summary>
    public Task Completion => _receiving;

    /// <summary>Connects to a gateway at <paramref name="uri"/> (<c>ws://host:port/path</c>).</summary>
    /// <param name="uri">The gateway's URL.</param>
    /// <param name="options">Connection options.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    public static async Task<GatewayConnection> ConnectAsync(Uri uri, GatewayConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= new GatewayConnectionOptions();
        var socket = new ClientWebSocket();
        options.ConfigureWebSocket?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new GatewayConnection(uri, socket, options);
    }

    /// <summary>Sends <paramref name="event"/> with <paramref name="data"/> and returns the handler's result.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    /// <exception cref="InvalidOperationException">The handler sent no result.</exception>
    public async Task<TResult> RequestAsync<TData, TResult>(
        string @event, TData data, JsonTypeInfo<TData> dataType, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resultType);
        JsonElement? result = null;
        await foreach (JsonElement frame in ExchangeAsync(@event, data, dataType, cancellationToken).ConfigureAwait(false))
        {
            if (frame.TryGetProperty("data"u8, out JsonElement value))
            {
                result = value;
            }
        }

        return result is { } answer
            ? answer.Deserialize(resultType)!
            : throw new InvalidOperationException($"The handler of '{@event}' sent no result.");
    }

    /// <summary>Sends <paramref name="event"/> with <paramref name="data"/> and waits until its handler is done.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    public async Task RequestAsync<TData>(string @event, TData data, JsonTypeInfo<TData> dataType, CancellationToken cancellationToken = default)
    {
        await foreach (JsonElement _ in ExchangeAsync(@event, data, dataType, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Sends <paramref name="event"/> with <paramref name="data"/> and yields each item the handler streams, until its end.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    public async IAsyncEnumerable<TItem> StreamAsync<TData, TItem>(
        string @event,
        TData data,
        JsonTypeInfo<TData> dataType,
        JsonTypeInfo<TItem> itemType,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        await foreach (JsonElement frame in ExchangeAsync(@event, data, dataType, cancellationToken).ConfigureAwait(false))
        {
            if (frame.TryGetProperty("data"u8, out JsonElement item))
            {
                yield return item.Deserialize(itemType)!;
            }
        }
    }

    /// <summary>Sends <paramref name="event"/> with <paramref name="data"/> without waiting for any answer.</summary>
    public Task SendAsync<TData>(string @event, TData data, JsonTypeInfo<TData> dataType, CancellationToken cancellationToken = default) =>
        WriteAsync(@event, data, dataType, id: null, cancellationToken);

    /// <summary>
    /// Calls <paramref name="handler"/> with the data of every <paramref name="event"/> the server pushes, on the
    /// connection's receive loop (keep it short); dispose the result to stop.
    /// </summary>
    public IDisposable On<T>(string @event, Action<T> handler, JsonTypeInfo<T> dataType)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(dataType);
        Action<JsonElement> call = data => handler(data.Deserialize(dataType)!);
        lock (_handlers)
        {
            if (!_handlers.TryGetValue(@event, out List<Action<JsonElement>>? list))
            {
                _handlers[@event] = list = [];
            }

            list.Add(call);
        }

        return new Subscription(this, @event, call);
    }

    /// <summary>Closes the connection with a normal closure, and fails the requests still waiting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The server is gone: there is nobody to say goodbye to.
        }

        try
        {
            await _receiving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _disposed.Dispose();
    }

    /// <summary>The frames answering one request, the last one included; an exception frame ends it by throwing.</summary>
    private async IAsyncEnumerable<JsonElement> ExchangeAsync<TData>(
        string @event, TData data, JsonTypeInfo<TData> dataType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref _nextId);
        var pending = new Pending();
        Channel<JsonElement> frames = pending.Frames;
        _pending[id] = pending;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await WriteAsync(@event, data, dataType, id, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                JsonElement frame;
                try
                {
                    if (!await frames.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"The connection ended before '{@event}' was answered.");
                    }

                    frame = await frames.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
                {
                    throw new TimeoutException($"'{@event}' was not answered within {_options.RequestTimeout}.");
                }

                if (frame.TryGetProperty("event"u8, out JsonElement name) && name.ValueEquals("exception"u8))
                {
                    throw new GatewayRequestException(frame.TryGetProperty("data"u8, out JsonElement error) ? error.Clone() : default);
                }

                yield return frame;
                if (frame.TryGetProperty("end"u8, out JsonElement end) && end.ValueKind == JsonValueKind.True)
                {
                    yield break;
                }
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task WriteAsync<TData>(string @event, TData data, JsonTypeInfo<TData> dataType, long? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(dataType);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event"u8, @event);
            writer.WritePropertyName("data"u8);
            JsonSerializer.Serialize(writer, data, dataType);
            if (id is long value)
            {
                writer.WriteNumber("id"u8, value);
            }

            writer.WriteEndObject();
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (_state)
            {
                case GatewayConnectionState.Connected:
                    await SendLockedAsync(buffer.WrittenMemory, id ?? 0, cancellationToken).ConfigureAwait(false);
                    break;
                case GatewayConnectionState.Reconnecting when _offline.Count < _options.Reconnect!.MaxQueuedMessages:
                    _offline.Enqueue((buffer.WrittenSpan.ToArray(), id ?? 0));
                    break;
                case GatewayConnectionState.Reconnecting:
                    throw new InvalidOperationException(
                        $"{_options.Reconnect!.MaxQueuedMessages} messages already wait for the connection to come back; '{@event}' was not queued.");
                default:
                    throw new WebSocketException(WebSocketError.InvalidState, $"The connection is closed; '{@event}' was not sent.");
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // Under _sendLock: sends on the current connection and notes which connection a request went out on.
    private async Task SendLockedAsync(ReadOnlyMemory<byte> frame, long id, CancellationToken cancellationToken)
    {
        if (id != 0 && _pending.TryGetValue(id, out Pending? pending))
        {
            pending.Generation = _generation;
        }

        await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Receives on each connection until it ends; then, with <see cref="GatewayConnectionOptions.Reconnect"/>, fails the
    /// requests it carried and makes a new one; without, or when reconnecting gives up, the connection is over.
    /// </summary>
    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await ReceiveLoopAsync().ConfigureAwait(false);
                if (_disposed.IsCancellationRequested || _options.Reconnect is not { } reconnect)
                {
                    return;
                }

                int dropped;
                await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    dropped = _generation;
                    SetState(GatewayConnectionState.Reconnecting);
                }
                finally
                {
                    _sendLock.Release();
                }

                // Their answers went with the old connection (at most once): they fail, and the caller may retry.
                FailPending(p => p.Generation == dropped, $"The connection dropped before the answer came.");
                if (!await ReconnectAsync(reconnect).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            _state = GatewayConnectionState.Disconnected;
            FailPending(static _ => true, "The connection is closed.");
            StateChanged?.Invoke(GatewayConnectionState.Disconnected);
        }
    }

    /// <summary>Tries new connections with backoff and full jitter; on success sends the queued frames, in order.</summary>
    private async Task<bool> ReconnectAsync(GatewayReconnectOptions reconnect)
    {
        for (int attempt = 0; reconnect.MaxAttempts is not int max || attempt < max; attempt++)
        {
            double bound = Math.Min(reconnect.MaxDelay.TotalMilliseconds, reconnect.InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * bound), _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            var socket = new ClientWebSocket();
            _options.ConfigureWebSocket?.Invoke(socket.Options);
            try
            {
                await socket.ConnectAsync(_uri, _disposed.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                socket.Dispose();
                if (_disposed.IsCancellationRequested)
                {
                    return false;
                }

                continue;
            }

            await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                ClientWebSocket old = _socket;
                _socket = socket;
                _generation++;
                old.Dispose();
                while (_offline.TryDequeue(out (byte[] Frame, long Id) queued))
                {
                    await SendLockedAsync(queued.Frame, queued.Id, _disposed.Token).ConfigureAwait(false);
                }

                SetState(GatewayConnectionState.Connected);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Dropped again while flushing: the receive loop sees it and starts over.
                SetState(GatewayConnectionState.Connected);
            }
            finally
            {
                _sendLock.Release();
            }

            return true;
        }

        return false;
    }

    private void SetState(GatewayConnectionState state)
    {
        _state = state;
        StateChanged?.Invoke(state);
    }

    private void FailPending(Func<Pending, bool> which, string reason)
    {
        foreach (KeyValuePair<long, Pending> pending in _pending)
        {
            if (which(pending.Value))
            {
                pending.Value.Frames.Writer.TryComplete(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, reason));
            }
        }
    }

    /// <summary>Reads frames until the connection ends: answers go to their request by id, events to their handlers.</summary>
    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        if (buffer.Length >= _options.MaxFrameSize)
                        {
                            await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, null, _disposed.Token).ConfigureAwait(false);
                            return;
                        }

                        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxFrameSize));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), _disposed.Token).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Completes the close handshake the server started (a shutdown's 1001), so it need not wait for us.
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)
                            .ConfigureAwait(false);
                    }

                    return;
                }

                Deliver(buffer.AsMemory(0, count));
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
            // The connection dropped (the server died, the network went): RunAsync decides what comes next.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Deliver(ReadOnlyMemory<byte> message)
    {
        JsonElement frame;
        try
        {
            using JsonDocument document = JsonDocument.Parse(message);
            frame = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }

        if (frame.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (frame.TryGetProperty("id"u8, out JsonElement id) && id.TryGetInt64(out long number))
        {
            if (_pending.TryGetValue(number, out Pending? request))
            {
                request.Frames.Writer.TryWrite(frame);
            }

            return;
        }

        if (frame.TryGetProperty("event"u8, out JsonElement name) && name.ValueKind == JsonValueKind.String)
        {
            Action<JsonElement>[] handlers;
            lock (_handlers)
            {
                handlers = _handlers.TryGetValue(name.GetString()!, out List<Action<JsonElement>>? list) ? [.. list] : [];
            }

            JsonElement data = frame.TryGetProperty("data"u8, out JsonElement value) ? value : default;
            foreach (Action<JsonElement> handler in handlers)
            {
                handler(data);
            }
        }
    }

    /// <summary>A request waiting for its frames, and the connection its own frame went out on (-1: not yet sent).</summary>
    private sealed class Pending
    {
        public Channel<JsonElement> Frames { get; } =
            Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

        public int Generation { get; set; } = -1;
    }

    private sealed class Subscription(GatewayConnection connection, string @event, Action<JsonElement> call) : IDisposable
    {
        public void Dispose()
        {
            lock (connection._handlers)
            {
                if (connection._handlers.TryGetValue(@event, out List<Action<JsonElement>>? list))
                {
                    list.Remove(call);
                }
            }
        }
    }
}
