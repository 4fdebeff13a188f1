using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Gateway.Client;

/// <summary>
/// A connection to a Gateway server (the NestJS <c>ws</c> protocol with Gateway's request correlation and resumable
/// sessions, docs/protocol-extensions.md): requests whose answers are matched by id, streams, fire-and-forget
/// messages, handlers for the events the server pushes, and reconnection that resumes the same server-side connection. Safe to use from any thread; every payload is read and written with
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

    // Resumable sessions (GatewayConnectionOptions.Resume): the server's token once it announced one, how many frames
    // came from it and were acknowledged, how many went to it and the last of those (to send again what a lost
    // transport did not deliver), and whether the current socket's next frame may be the announcement.
    private const int AckEvery = 32;
    private const int ResendLimit = 1024;
    private static readonly TimeSpan s_ackDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_resumeTimeout = TimeSpan.FromSeconds(5);
    private readonly bool _resume;
    private readonly Queue<(long Number, byte[] Frame)> _sentKept = new();
    private readonly Timer _ackTimer;
    private string? _token;
    private long _receivedCount;
    private long _ackedCount;
    private long _sentCount;
    private int _ackScheduled;
    private bool _expectAnnouncement;

    private GatewayConnection(Uri uri, ClientWebSocket socket, GatewayConnectionOptions options)
    {
        _uri = uri;
        _socket = socket;
        _options = options;
        _resume = Resumes(options);
        _expectAnnouncement = _resume;
        _ackTimer = new Timer(static state => _ = ((GatewayConnection)state!).AcknowledgeAsync(), this, Timeout.Infinite, Timeout.Infinite);
        _receiving = RunAsync();
    }

    /// <summary>
    /// Raised when the server announces the connection: new, resumed after a reconnection, or lost (a new one, and
    /// <see cref="GatewaySession.Lost"/> says why); on the connection's own loop (keep the handler short).
    /// </summary>
    public event Action<GatewaySession>? SessionChanged;

    /// <summary>The server's id of this connection while it is resumable (the same after a resumption); null otherwise.</summary>
    public string? Id { get; private set; }

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
            await socket.ConnectAsync(Resumes(options) ? WithQuery(uri, "gw-resume=new") : uri, cancellationToken).ConfigureAwait(false);
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
        ArgumentNullException.ThrowIfNull(dataType);
        return await ResultAsync(@event, id => Frame(@event, data, dataType, id), resultType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="event"/> without data and returns the handler's result.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    /// <exception cref="InvalidOperationException">The handler sent no result.</exception>
    public Task<TResult> RequestAsync<TResult>(string @event, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken = default) =>
        ResultAsync(@event, id => Frame(@event, id), resultType, cancellationToken);

    /// <summary>Sends <paramref name="event"/> without data and waits until its handler is done.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    public async Task RequestAsync(string @event, CancellationToken cancellationToken = default)
    {
        await foreach (JsonElement _ in ExchangeAsync(@event, id => Frame(@event, id), cancellationToken).ConfigureAwait(false))
        {
        }
    }

    private async Task<TResult> ResultAsync<TResult>(string @event, Func<long, byte[]> frame, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(resultType);
        JsonElement? result = null;
        await foreach (JsonElement answer in ExchangeAsync(@event, frame, cancellationToken).ConfigureAwait(false))
        {
            if (answer.TryGetProperty("data"u8, out JsonElement value))
            {
                result = value;
            }
        }

        return result is { } data
            ? data.Deserialize(resultType)!
            : throw new InvalidOperationException($"The handler of '{@event}' sent no result.");
    }

    /// <summary>Sends <paramref name="event"/> with <paramref name="data"/> and waits until its handler is done.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    public async Task RequestAsync<TData>(string @event, TData data, JsonTypeInfo<TData> dataType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(dataType);
        await foreach (JsonElement _ in ExchangeAsync(@event, id => Frame(@event, data, dataType, id), cancellationToken).ConfigureAwait(false))
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
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentNullException.ThrowIfNull(itemType);
        await foreach (JsonElement frame in ExchangeAsync(@event, id => Frame(@event, data, dataType, id), cancellationToken).ConfigureAwait(false))
        {
            if (frame.TryGetProperty("data"u8, out JsonElement item))
            {
                yield return item.Deserialize(itemType)!;
            }
        }
    }

    /// <summary>Sends <paramref name="event"/> without data and yields each item the handler streams, until its end.</summary>
    /// <exception cref="GatewayRequestException">The server answered with an <c>exception</c> frame.</exception>
    public async IAsyncEnumerable<TItem> StreamAsync<TItem>(
        string @event, JsonTypeInfo<TItem> itemType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(itemType);
        await foreach (JsonElement frame in ExchangeAsync(@event, id => Frame(@event, id), cancellationToken).ConfigureAwait(false))
        {
            if (frame.TryGetProperty("data"u8, out JsonElement item))
            {
                yield return item.Deserialize(itemType)!;
            }
        }
    }

    /// <summary>Sends <paramref name="event"/> with <paramref name="data"/> without waiting for any answer.</summary>
    public Task SendAsync<TData>(string @event, TData data, JsonTypeInfo<TData> dataType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(dataType);
        return WriteAsync(@event, Frame(@event, data, dataType, id: 0), id: 0, cancellationToken);
    }

    /// <summary>Sends <paramref name="event"/> without data, without waiting for any answer.</summary>
    public Task SendAsync(string @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return WriteAsync(@event, Frame(@event, id: 0), id: 0, cancellationToken);
    }

    /// <summary>Calls <paramref name="handler"/> for every <paramref name="event"/> the server pushes, whatever its data; dispose the result to stop.</summary>
    public IDisposable On(string @event, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscribe(@event, _ => handler());
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with the data of every <paramref name="event"/> the server pushes, on the
    /// connection's receive loop (keep it short); dispose the result to stop.
    /// </summary>
    public IDisposable On<T>(string @event, Action<T> handler, JsonTypeInfo<T> dataType)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(dataType);
        return Subscribe(@event, data => handler(data.Deserialize(dataType)!));
    }

    private Subscription Subscribe(string @event, Action<JsonElement> call)
    {
        ArgumentNullException.ThrowIfNull(@event);
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

        await _ackTimer.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _sendLock.Dispose();
        _disposed.Dispose();
    }

    /// <summary>The frames answering one request, the last one included; an exception frame ends it by throwing.</summary>
    private async IAsyncEnumerable<JsonElement> ExchangeAsync(
        string @event, Func<long, byte[]> frame, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref _nextId);
        var pending = new Pending();
        Channel<JsonElement> frames = pending.Frames;
        _pending[id] = pending;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await WriteAsync(@event, frame(id), id, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                JsonElement answer;
                try
                {
                    if (!await frames.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"The connection ended before '{@event}' was answered.");
                    }

                    answer = await frames.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
                {
                    throw new TimeoutException($"'{@event}' was not answered within {_options.RequestTimeout}.");
                }

                if (answer.TryGetProperty("event"u8, out JsonElement name) && name.ValueEquals("exception"u8))
                {
                    throw new GatewayRequestException(answer.TryGetProperty("data"u8, out JsonElement error) ? error.Clone() : default);
                }

                yield return answer;
                if (answer.TryGetProperty("end"u8, out JsonElement end) && end.ValueKind == JsonValueKind.True)
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

    /// <summary><c>{"event":...,"data":...,"id":...}</c>; without an id when <paramref name="id"/> is 0.</summary>
    private static byte[] Frame<TData>(string @event, TData data, JsonTypeInfo<TData> dataType, long id)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event"u8, @event);
            writer.WritePropertyName("data"u8);
            JsonSerializer.Serialize(writer, data, dataType);
            if (id != 0)
            {
                writer.WriteNumber("id"u8, id);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"event":...,"id":...}</c>: an event without data, as NestJS clients send one.</summary>
    private static byte[] Frame(string @event, long id)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event"u8, @event);
            if (id != 0)
            {
                writer.WriteNumber("id"u8, id);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task WriteAsync(string @event, byte[] frame, long id, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (_state)
            {
                case GatewayConnectionState.Connected:
                    await SendLockedAsync(frame, id, cancellationToken).ConfigureAwait(false);
                    break;
                case GatewayConnectionState.Reconnecting when _offline.Count < _options.Reconnect!.MaxQueuedMessages:
                    _offline.Enqueue((frame, id));
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
        // Numbered and kept while the connection is (or, before the server's first frame, may be) resumable.
        if (_resume && (_token is not null || _expectAnnouncement))
        {
            _sentKept.Enqueue((++_sentCount, frame.ToArray()));
            if (_sentKept.Count > ResendLimit)
            {
                _sentKept.Dequeue();
            }
        }
    }

    private static bool Resumes(GatewayConnectionOptions options) => options.Resume && options.Reconnect is not null;

    private static Uri WithQuery(Uri uri, string query)
    {
        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? query : builder.Query.TrimStart('?') + "&" + query;
        return builder.Uri;
    }

    /// <summary>Where a reconnection goes: back to the resumable connection, or asking for a new one.</summary>
    private Uri ReconnectUri() => !_resume
        ? _uri
        : _token is { } token
            ? WithQuery(_uri, $"gw-resume={Uri.EscapeDataString(token)}&gw-received={Volatile.Read(ref _receivedCount)}")
            : WithQuery(_uri, "gw-resume=new");

    /// <summary>Counts a frame of the resumable connection; acknowledged after <see cref="AckEvery"/> of them, or soon.</summary>
    private void CountReceived()
    {
        long received = Interlocked.Increment(ref _receivedCount);
        if (received - Volatile.Read(ref _ackedCount) >= AckEvery)
        {
            _ = AcknowledgeAsync();
        }
        else if (Interlocked.Exchange(ref _ackScheduled, 1) == 0)
        {
            _ackTimer.Change(s_ackDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task AcknowledgeAsync()
    {
        Volatile.Write(ref _ackScheduled, 0);
        try
        {
            await _sendLock.WaitAsync(_disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        try
        {
            long received = Volatile.Read(ref _receivedCount);
            if (_state != GatewayConnectionState.Connected || _token is null || received == _ackedCount)
            {
                return;
            }

            Volatile.Write(ref _ackedCount, received);
            byte[] frame = System.Text.Encoding.UTF8.GetBytes($"{{\"event\":\"gateway:ack\",\"data\":{received}}}");
            await SendLockedAsync(frame, 0, _disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The transport dropped: the reconnection tells the server what arrived.
        }
        finally
        {
            _sendLock.Release();
        }
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

                // Their answers went with the old connection (at most once): they fail, and the caller may retry. A
                // resumable connection keeps them: the reconnection decides.
                if (_token is null)
                {
                    FailPending(p => p.Generation == dropped, $"The connection dropped before the answer came.");
                }

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
            bool resuming = _token is not null;
            byte[]? first = null;
            try
            {
                await socket.ConnectAsync(ReconnectUri(), _disposed.Token).ConfigureAwait(false);
                if (resuming)
                {
                    // Nothing is sent before the server says what it got, so that what it missed goes first.
                    first = await ReceiveFirstAsync(socket).ConfigureAwait(false);
                }
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

            GatewaySession? session = null;
            byte[]? undelivered = null;
            await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                ClientWebSocket old = _socket;
                _socket = socket;
                _generation++;
                old.Dispose();
                if (resuming)
                {
                    (session, undelivered) = await ResumeLockedAsync(first).ConfigureAwait(false);
                }
                else if (_resume)
                {
                    // A new connection: numbering starts again, with what goes out before the announcement.
                    ResetNumbering();
                    _expectAnnouncement = true;
                }

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

            if (session is not null)
            {
                SessionChanged?.Invoke(session);
            }

            if (undelivered is not null)
            {
                Deliver(undelivered);
            }

            return true;
        }

        return false;
    }

    /// <summary>The first frame of a transport that came back to resume; null when none came in time.</summary>
    private async Task<byte[]?> ReceiveFirstAsync(ClientWebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        timeout.CancelAfter(s_resumeTimeout);
        var message = new ArrayBufferWriter<byte>();
        try
        {
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(message.GetMemory(4096), timeout.Token).ConfigureAwait(false);
                message.Advance(result.Count);
            }
            while (!result.EndOfMessage && message.WrittenCount < _options.MaxFrameSize);

            return result.MessageType == WebSocketMessageType.Close ? throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely) : message.WrittenSpan.ToArray();
        }
        catch (OperationCanceledException) when (!_disposed.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Under the send lock, on the new transport: the server's answer to the resumption. Resumed, what it did not get
    /// goes again and the requests in flight wait on; not, they fail and numbering starts again.
    /// </summary>
    /// <returns>What to tell <see cref="SessionChanged"/>, and a first frame that was not an announcement (to deliver).</returns>
    private async Task<(GatewaySession Session, byte[]? Undelivered)> ResumeLockedAsync(byte[]? first)
    {
        _expectAnnouncement = false;
        Announcement? announcement = first is not null ? Announcement.TryRead(first) : null;
        if (announcement is { Resumed: true } resumed)
        {
            foreach ((long number, byte[] frame) in _sentKept)
            {
                if (number > resumed.Received)
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _disposed.Token).ConfigureAwait(false);
                }
            }

            foreach (Pending pending in _pending.Values)
            {
                if (pending.Generation >= 0)
                {
                    pending.Generation = _generation;
                }
            }

            return (new GatewaySession { Id = Id, Resumed = true, Replayed = resumed.Replayed }, null);
        }

        string lost = announcement?.Lost ?? "unknown";
        int current = _generation;
        FailPending(p => p.Generation >= 0 && p.Generation < current, $"The connection was lost before the answer came ({lost}).");
        ResetNumbering();
        _token = announcement?.Token;
        Id = announcement?.Id;
        return (new GatewaySession { Id = Id, Lost = lost }, announcement is null ? first : null);
    }

    private void ResetNumbering()
    {
        _sentCount = 0;
        _sentKept.Clear();
        Volatile.Write(ref _receivedCount, 0);
        Volatile.Write(ref _ackedCount, 0);
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

                ReadOnlyMemory<byte> message = buffer.AsMemory(0, count);
                if (_expectAnnouncement)
                {
                    _expectAnnouncement = false;
                    if (Announcement.TryRead(message) is { } announcement)
                    {
                        _token = announcement.Token;
                        Id = announcement.Id;
                        SessionChanged?.Invoke(new GatewaySession { Id = Id });
                        continue;
                    }
                }

                if (_token is not null)
                {
                    CountReceived();
                }

                Deliver(message);
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

    /// <summary>The data of the server's <c>gateway:session</c> frame.</summary>
    private sealed record Announcement(string Id, string Token, bool Resumed, int Replayed, long Received, string? Lost)
    {
        public static Announcement? TryRead(ReadOnlyMemory<byte> message)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(message);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("event"u8, out JsonElement name) || !name.ValueEquals("gateway:session"u8)
                    || !root.TryGetProperty("data"u8, out JsonElement data) || data.ValueKind != JsonValueKind.Object
                    || !data.TryGetProperty("token"u8, out JsonElement token) || token.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                return new Announcement(
                    data.TryGetProperty("id"u8, out JsonElement id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "",
                    token.GetString()!,
                    data.TryGetProperty("resumed"u8, out JsonElement resumed) && resumed.ValueKind == JsonValueKind.True,
                    data.TryGetProperty("replayed"u8, out JsonElement replayed) && replayed.TryGetInt32(out int count) ? count : 0,
                    data.TryGetProperty("received"u8, out JsonElement received) && received.TryGetInt64(out long number) ? number : 0,
                    data.TryGetProperty("lost"u8, out JsonElement lost) && lost.ValueKind == JsonValueKind.String ? lost.GetString() : null);
            }
            catch (JsonException)
            {
                return null;
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
