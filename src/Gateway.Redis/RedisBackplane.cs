using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Gateway.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// Carries pushes between the nodes of a cluster over Redis pub/sub and keeps cluster-wide presence in Redis.
/// <list type="bullet">
/// <item>A push is delivered to local connections first, then published once per channel with the frame bytes the
/// sending node serialized (<see cref="BackplaneMessage"/>); receivers skip their own messages, so each connection gets
/// each frame once.</item>
/// <item>A node subscribes to a path's <c>all</c> channel, to a room's channel while the room has a local member and to
/// a user's channel while the user has a local connection: it receives no traffic for rooms it has no member of.</item>
/// <item>Redis down: local delivery goes on, cross-node messages are dropped and counted (at-most-once), StackExchange.Redis
/// reconnects; on reconnection failed subscriptions are retried and the node rewrites its presence.</item>
/// </list>
/// </summary>
internal sealed class RedisBackplane : IGatewayBackplane, IHostedService, IAsyncDisposable
{
    private readonly RedisBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly byte[] _nodeIdBytes;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ConnectionRegistry, PathChannels> _paths = new();
    private readonly Channel<Subscription> _reconcile = Channel.CreateUnbounded<Subscription>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private ConnectionMultiplexer? _redis;
    private Task? _worker;
    private Task? _heartbeat;
    private int _reachable;
    private int _heartbeatFailing;
    private int _disposed;

    public RedisBackplane(IOptions<RedisBackplaneOptions> options, ILogger<RedisBackplane> logger, BackplaneMetrics metrics)
    {
        _options = options.Value;
        _logger = logger;
        Metrics = metrics;
        Keys = new RedisKeys(_options.ChannelPrefix);
        _nodeIdBytes = RandomNumberGenerator.GetBytes(BackplaneMessage.NodeIdLength);
        NodeId = Base64Url.EncodeToString(_nodeIdBytes);
    }

    /// <summary>This node's id in the cluster (random per process).</summary>
    public string NodeId { get; }

    public RedisKeys Keys { get; }

    public BackplaneMetrics Metrics { get; }

    public TimeSpan PresenceExpiry => _options.PresenceExpiry;

    /// <summary>Whether every wanted channel is subscribed and every unwanted one released (for tests).</summary>
    internal bool SubscriptionsSettled
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Values.All(static s => s.Wanted == (s.Queue is not null));
            }
        }
    }

    /// <summary>The connection, once started; null before.</summary>
    public ConnectionMultiplexer? Redis => _redis;

    // ---- IHostedService ----

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ConfigurationOptions configuration = _options.Configuration?.Clone() ?? ConfigurationOptions.Parse(_options.ConnectionString!);
        configuration.AbortOnConnectFail = false;
        // A command issued while Redis is down fails at once instead of waiting in a backlog: at-most-once, counted.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "gateway-" + NodeId;

        ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        _redis = redis;
        if (redis.IsConnected)
        {
            Volatile.Write(ref _reachable, 1);
            Log.Connected(_logger, NodeId, string.Join(", ", configuration.EndPoints));
        }
        else if (_options.FailurePolicy == RedisFailurePolicy.FailStartup)
        {
            await redis.DisposeAsync().ConfigureAwait(false);
            _redis = null;
            throw new InvalidOperationException(
                $"The Redis backplane cannot reach {string.Join(", ", configuration.EndPoints)} and its FailurePolicy is FailStartup.");
        }
        else
        {
            Log.Unreachable(_logger, "at start-up", null);
        }

        _worker = Task.Run(ReconcileLoopAsync, CancellationToken.None);
        _heartbeat = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _reconcile.Writer.TryComplete();
        await WaitQuietly(_worker).ConfigureAwait(false);
        await WaitQuietly(_heartbeat).ConfigureAwait(false);
        if (_redis is { IsConnected: true } redis)
        {
            // Leave the cluster now rather than after the expiry.
            try
            {
                await RemoveNodeAsync(redis.GetDatabase(), NodeId).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
            {
                Log.PresenceWriteFailed(_logger, ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once per registration that resolved it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _reconcile.Writer.TryComplete();
        await WaitQuietly(_worker).ConfigureAwait(false);
        await WaitQuietly(_heartbeat).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
            await redis.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>For tests: the node dies without cleaning up (no heartbeat, no removal, the connection closed).</summary>
    internal async Task AbandonAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _reconcile.Writer.TryComplete();
        await WaitQuietly(_heartbeat).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            await redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            redis.Dispose();
        }
    }

    private static async Task WaitQuietly(Task? task)
    {
        if (task is not null)
        {
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // ---- IGatewayBackplane: publishing ----

    public void Publish(ConnectionRegistry registry, GatewayTarget.TargetKind kind, string[] keys, SharedFrame frame, string[]? except)
    {
        if (!_paths.TryGetValue(registry, out PathChannels? channels))
        {
            return;
        }

        ConnectionMultiplexer? redis = _redis;
        if (redis is null || !redis.IsConnected)
        {
            Metrics.Dropped("unreachable");
            // The first message lost tells, if StackExchange.Redis's failure event has not yet: once per outage.
            if (Interlocked.Exchange(ref _reachable, 0) == 1)
            {
                Log.Unreachable(_logger, "a publish found the connection down", null);
            }

            return;
        }

        try
        {
            ISubscriber subscriber = redis.GetSubscriber();
            switch (kind)
            {
                case GatewayTarget.TargetKind.Rooms:
                case GatewayTarget.TargetKind.Users:
                    string[] distinct = keys.Length == 1 ? keys : [.. keys.Distinct(StringComparer.Ordinal)];
                    byte[] payload = BackplaneMessage.Encode(_nodeIdBytes, kind, distinct, frame.Memory.Span, except);
                    foreach (string key in distinct)
                    {
                        RedisChannel channel = kind == GatewayTarget.TargetKind.Rooms
                            ? Keys.RoomChannel(channels.Path, key)
                            : Keys.UserChannel(channels.Path, key);
                        subscriber.Publish(channel, payload, CommandFlags.FireAndForget);
                    }

                    break;
                default:
                    subscriber.Publish(channels.All, BackplaneMessage.Encode(_nodeIdBytes, kind, keys, frame.Memory.Span, except), CommandFlags.FireAndForget);
                    break;
            }

            Metrics.Published();
        }
        catch (RedisException)
        {
            Metrics.Dropped("publish-failed");
        }
    }

    // ---- receiving ----

    private void OnMessage(Subscription subscription, ChannelMessage message)
    {
        if (!BackplaneMessage.TryDecode((ReadOnlyMemory<byte>)message.Message, out BackplaneMessage decoded))
        {
            Metrics.Dropped("unreadable");
            return;
        }

        if (decoded.Origin.Span.SequenceEqual(_nodeIdBytes))
        {
            return; // Delivered locally when it was sent.
        }

        Metrics.Received();
        ConnectionRegistry registry = subscription.Registry;
        SharedFrame frame = SharedFrame.Create(decoded.Frame.Span);
        try
        {
            switch (subscription.Kind)
            {
                case SubscriptionKind.All when decoded.Kind is GatewayTarget.TargetKind.All or GatewayTarget.TargetKind.AllExcept or GatewayTarget.TargetKind.Clients:
                    new GatewayTarget(registry, decoded.Kind, decoded.Keys, null, decoded.Except).DeliverLocally(frame);
                    break;
                case SubscriptionKind.User when decoded.Kind == GatewayTarget.TargetKind.Users:
                    new GatewayTarget(registry, GatewayTarget.TargetKind.Users, [subscription.Key], null, decoded.Except).DeliverLocally(frame);
                    break;
                case SubscriptionKind.Room when decoded.Kind == GatewayTarget.TargetKind.Rooms:
                    DeliverToRoom(registry, subscription.Key, decoded.Keys, frame, decoded.Except);
                    break;
            }
        }
        finally
        {
            frame.Release();
        }
    }

    /// <summary>
    /// A message for several rooms arrives once on each room's channel. A connection in several of them takes it from
    /// the first of the message's rooms it is a member of, so it gets it once.
    /// </summary>
    private static void DeliverToRoom(ConnectionRegistry registry, string room, string[] rooms, SharedFrame frame, string[]? except)
    {
        int index = Array.IndexOf(rooms, room);
        foreach (GatewayClient client in registry.RoomMembers(room))
        {
            bool takenEarlier = except is not null && Array.IndexOf(except, client.Id) >= 0;
            for (int i = 0; i < index && !takenEarlier; i++)
            {
                takenEarlier = registry.IsMember(rooms[i], client.Id);
            }

            if (!takenEarlier)
            {
                client.Enqueue(frame);
            }
        }
    }

    // ---- IGatewayBackplane: membership (called under the registry's lock: queue work only) ----

    /// <summary>Connected to Redis and not disposed: pushes reach the other nodes.</summary>
    public bool IsAvailable => Volatile.Read(ref _disposed) == 0 && _redis is { IsConnected: true };

    public void Attach(ConnectionRegistry registry)
    {
        var channels = new PathChannels(registry.Path, Keys.AllChannel(registry.Path));
        _paths[registry] = channels;
        Want(channels.All, registry, SubscriptionKind.All, string.Empty, wanted: true);
    }

    public void Connected(ConnectionRegistry registry, GatewayClient client, bool firstOfUser)
    {
        if (firstOfUser)
        {
            Want(Keys.UserChannel(registry.Path, client.UserId!), registry, SubscriptionKind.User, client.UserId!, wanted: true);
        }

        if (Database() is { } db)
        {
            try
            {
                WriteConnection(db, registry.Path, client, CommandFlags.FireAndForget);
            }
            catch (RedisException ex)
            {
                Log.PresenceWriteFailed(_logger, ex);
            }
        }
    }

    public void Disconnected(ConnectionRegistry registry, GatewayClient client, bool lastOfUser)
    {
        if (lastOfUser)
        {
            Want(Keys.UserChannel(registry.Path, client.UserId!), registry, SubscriptionKind.User, client.UserId!, wanted: false);
        }

        if (Database() is { } db)
        {
            try
            {
                RedisKey key = Keys.Connection(registry.Path, client.Id);
                db.KeyDelete(key, CommandFlags.FireAndForget);
                db.SetRemove(Keys.NodeConnections(NodeId), key.ToString(), CommandFlags.FireAndForget);
                if (client.UserId is { } user)
                {
                    db.SetRemove(Keys.UserConnections(registry.Path, user), RedisKeys.Member(NodeId, client.Id), CommandFlags.FireAndForget);
                }
            }
            catch (RedisException ex)
            {
                Log.PresenceWriteFailed(_logger, ex);
            }
        }
    }

    public void Joined(ConnectionRegistry registry, GatewayClient client, string room, bool firstMember)
    {
        if (firstMember)
        {
            Want(Keys.RoomChannel(registry.Path, room), registry, SubscriptionKind.Room, room, wanted: true);
        }

        if (Database() is { } db)
        {
            try
            {
                WriteMembership(db, registry.Path, client.Id, room, CommandFlags.FireAndForget);
            }
            catch (RedisException ex)
            {
                Log.PresenceWriteFailed(_logger, ex);
            }
        }
    }

    public void Left(ConnectionRegistry registry, GatewayClient client, string room, bool lastMember)
    {
        if (lastMember)
        {
            Want(Keys.RoomChannel(registry.Path, room), registry, SubscriptionKind.Room, room, wanted: false);
        }

        if (Database() is { } db)
        {
            try
            {
                db.HashDelete(Keys.Connection(registry.Path, client.Id), RedisKeys.RoomFieldPrefix + room, CommandFlags.FireAndForget);
                db.SetRemove(Keys.RoomMembers(registry.Path, room), RedisKeys.Member(NodeId, client.Id), CommandFlags.FireAndForget);
            }
            catch (RedisException ex)
            {
                Log.PresenceWriteFailed(_logger, ex);
            }
        }
    }

    private IDatabase? Database() => _redis is { IsConnected: true } redis ? redis.GetDatabase() : null;

    private Task WriteConnection(IDatabaseAsync db, string path, GatewayClient client, CommandFlags flags)
    {
        RedisKey key = Keys.Connection(path, client.Id);
        HashEntry[] fields = client.UserId is { } user
            ? [new(RedisKeys.NodeField, NodeId), new(RedisKeys.PathField, path), new(RedisKeys.IdField, client.Id), new(RedisKeys.UserField, user)]
            : [new(RedisKeys.NodeField, NodeId), new(RedisKeys.PathField, path), new(RedisKeys.IdField, client.Id)];
        Task hash = db.HashSetAsync(key, fields, flags);
        Task node = db.SetAddAsync(Keys.NodeConnections(NodeId), key.ToString(), flags);
        Task userSet = client.UserId is { } userId
            ? db.SetAddAsync(Keys.UserConnections(path, userId), RedisKeys.Member(NodeId, client.Id), flags)
            : Task.CompletedTask;
        return Task.WhenAll(hash, node, userSet);
    }

    private Task<bool[]> WriteMembership(IDatabaseAsync db, string path, string connectionId, string room, CommandFlags flags) =>
        Task.WhenAll(
            db.HashSetAsync(Keys.Connection(path, connectionId), RedisKeys.RoomFieldPrefix + room, string.Empty, flags: flags),
            db.SetAddAsync(Keys.RoomMembers(path, room), RedisKeys.Member(NodeId, connectionId), flags));

    // ---- subscriptions: one worker applies the wanted state in order ----

    private void Want(RedisChannel channel, ConnectionRegistry registry, SubscriptionKind kind, string key, bool wanted)
    {
        Subscription? subscription;
        lock (_lock)
        {
            string name = channel.ToString();
            if (!_subscriptions.TryGetValue(name, out subscription))
            {
                if (!wanted)
                {
                    return;
                }

                subscription = new Subscription(channel, registry, kind, key);
                _subscriptions[name] = subscription;
            }

            subscription.Wanted = wanted;
        }

        _reconcile.Writer.TryWrite(subscription);
    }

    private async Task ReconcileLoopAsync()
    {
        try
        {
            await foreach (Subscription subscription in _reconcile.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                await ReconcileAsync(subscription).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ReconcileAsync(Subscription subscription)
    {
        if (_redis is not { } redis)
        {
            return;
        }

        bool wanted;
        lock (_lock)
        {
            wanted = subscription.Wanted;
        }

        if (wanted && subscription.Queue is null)
        {
            try
            {
                ChannelMessageQueue queue = await redis.GetSubscriber().SubscribeAsync(subscription.Channel).ConfigureAwait(false);
                queue.OnMessage(message => OnMessage(subscription, message));
                subscription.Queue = queue;
            }
            catch (RedisException ex)
            {
                Log.SubscribeFailed(_logger, subscription.Channel.ToString(), ex);
            }
        }
        else if (!wanted)
        {
            if (subscription.Queue is { } queue)
            {
                subscription.Queue = null;
                try
                {
                    await queue.UnsubscribeAsync().ConfigureAwait(false);
                }
                catch (RedisException ex)
                {
                    // Unsubscribed locally anyway; the server side goes with the connection.
                    Log.SubscribeFailed(_logger, subscription.Channel.ToString(), ex);
                }
            }

            lock (_lock)
            {
                string name = subscription.Channel.ToString();
                if (!subscription.Wanted && _subscriptions.TryGetValue(name, out Subscription? current) && current == subscription)
                {
                    _subscriptions.Remove(name);
                }
            }
        }
    }

    // ---- connection events ----

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _reachable, 0) == 1)
        {
            Log.Unreachable(_logger, $"{e.FailureType} on {e.ConnectionType}", e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (_stopping.IsCancellationRequested || _redis is not { IsConnected: true })
        {
            return;
        }

        Volatile.Write(ref _reachable, 1);
        Subscription[] subscriptions;
        lock (_lock)
        {
            subscriptions = [.. _subscriptions.Values];
        }

        Log.Reconnected(_logger, subscriptions.Length);
        foreach (Subscription subscription in subscriptions)
        {
            _reconcile.Writer.TryWrite(subscription);
        }

        // Writes made while Redis was away are lost, and Redis may have restarted empty: rewrite this node's state.
        _ = Task.Run(RewritePresenceQuietlyAsync);
    }

    // ---- presence: heartbeat, expiry, rewrite ----

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.EffectiveHeartbeat);
        do
        {
            try
            {
                await BeatAsync().ConfigureAwait(false);
                Volatile.Write(ref _heartbeatFailing, 0);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (Interlocked.Exchange(ref _heartbeatFailing, 1) == 0 && Volatile.Read(ref _reachable) == 1)
                {
                    Log.HeartbeatFailed(_logger, ex);
                }
            }
        }
        while (await WaitTickAsync(timer).ConfigureAwait(false));
    }

    private async ValueTask<bool> WaitTickAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task BeatAsync()
    {
        if (_redis is not { IsConnected: true } redis)
        {
            return;
        }

        IDatabase db = redis.GetDatabase();
        // Renewing fails when the key is gone: this node was taken for dead (a pause longer than the expiry) and
        // its entries removed, so it writes them again.
        if (!await db.KeyExpireAsync(Keys.Alive(NodeId), _options.PresenceExpiry).ConfigureAwait(false))
        {
            await RewritePresenceAsync(db).ConfigureAwait(false);
        }

        foreach (RedisValue node in await db.SetMembersAsync(Keys.Nodes).ConfigureAwait(false))
        {
            string id = node.ToString();
            if (id != NodeId && !await db.KeyExistsAsync(Keys.Alive(id)).ConfigureAwait(false))
            {
                int removed = await RemoveNodeAsync(db, id).ConfigureAwait(false);
                Log.NodeExpired(_logger, id, removed);
            }
        }
    }

    private async Task RewritePresenceQuietlyAsync()
    {
        try
        {
            if (_redis is { IsConnected: true } redis)
            {
                await RewritePresenceAsync(redis.GetDatabase()).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PresenceWriteFailed(_logger, ex);
        }
    }

    /// <summary>Replaces what Redis holds for this node by its current local state.</summary>
    private async Task RewritePresenceAsync(IDatabase db)
    {
        await RemoveNodeAsync(db, NodeId).ConfigureAwait(false);
        await db.StringSetAsync(Keys.Alive(NodeId), 1, _options.PresenceExpiry).ConfigureAwait(false);
        await db.SetAddAsync(Keys.Nodes, NodeId).ConfigureAwait(false);
        var writes = new List<Task>();
        foreach (ConnectionRegistry registry in _paths.Keys)
        {
            foreach (GatewayClient client in registry.Clients)
            {
                writes.Add(WriteConnection(db, registry.Path, client, CommandFlags.None));
                foreach (string room in registry.RoomsOf(client))
                {
                    writes.Add(WriteMembership(db, registry.Path, client.Id, room, CommandFlags.None));
                }
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    /// <summary>Deletes a node's presence entries (idempotent: several nodes may clean up the same dead node).</summary>
    /// <returns>How many connections it had.</returns>
    private async Task<int> RemoveNodeAsync(IDatabase db, string node)
    {
        RedisKey nodeKey = Keys.NodeConnections(node);
        RedisValue[] connections = await db.SetMembersAsync(nodeKey).ConfigureAwait(false);
        var removals = new List<Task>();
        foreach (RedisValue connection in connections)
        {
            RedisKey key = (string)connection!;
            HashEntry[] fields = await db.HashGetAllAsync(key).ConfigureAwait(false);
            string? path = null, id = null, user = null;
            foreach (HashEntry field in fields)
            {
                switch ((string?)field.Name)
                {
                    case RedisKeys.PathField: path = field.Value; break;
                    case RedisKeys.IdField: id = field.Value; break;
                    case RedisKeys.UserField: user = field.Value; break;
                }
            }

            if (path is not null && id is not null)
            {
                string member = RedisKeys.Member(node, id);
                foreach (HashEntry field in fields)
                {
                    string name = field.Name!;
                    if (name.StartsWith(RedisKeys.RoomFieldPrefix, StringComparison.Ordinal))
                    {
                        removals.Add(db.SetRemoveAsync(Keys.RoomMembers(path, name[RedisKeys.RoomFieldPrefix.Length..]), member));
                    }
                }

                if (user is not null)
                {
                    removals.Add(db.SetRemoveAsync(Keys.UserConnections(path, user), member));
                }
            }

            removals.Add(db.KeyDeleteAsync(key));
        }

        await Task.WhenAll(removals).ConfigureAwait(false);
        await db.KeyDeleteAsync([nodeKey, Keys.Alive(node)]).ConfigureAwait(false);
        await db.SetRemoveAsync(Keys.Nodes, node).ConfigureAwait(false);
        return connections.Length;
    }

    /// <summary>Which of <paramref name="nodes"/> have a live heartbeat.</summary>
    public async Task<HashSet<string>> AliveNodesAsync(IDatabaseAsync db, IEnumerable<string> nodes)
    {
        string[] distinct = [.. nodes.Distinct(StringComparer.Ordinal)];
        bool[] alive = await Task.WhenAll(distinct.Select(n => db.KeyExistsAsync(Keys.Alive(n)))).ConfigureAwait(false);
        var result = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < distinct.Length; i++)
        {
            if (alive[i])
            {
                result.Add(distinct[i]);
            }
        }

        return result;
    }

    private sealed record PathChannels(string Path, RedisChannel All);

    private enum SubscriptionKind
    {
        All,
        Room,
        User,
    }

    private sealed class Subscription(RedisChannel channel, ConnectionRegistry registry, SubscriptionKind kind, string key)
    {
        public RedisChannel Channel { get; } = channel;

        public ConnectionRegistry Registry { get; } = registry;

        public SubscriptionKind Kind { get; } = kind;

        public string Key { get; } = key;

        /// <summary>Guarded by the backplane's lock.</summary>
        public bool Wanted { get; set; }

        /// <summary>Touched by the reconcile worker only.</summary>
        public ChannelMessageQueue? Queue { get; set; }
    }
}
