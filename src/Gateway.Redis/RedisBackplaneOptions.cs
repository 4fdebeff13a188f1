using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>Options of the Redis backplane (<c>AddGateways().AddRedisBackplane(configuration)</c>).</summary>
public sealed class RedisBackplaneOptions
{
    /// <summary>The configuration key read for the connection string by <c>AddRedisBackplane(configuration)</c>.</summary>
    public const string ConfigurationKey = "Gateway:Redis";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c> or <c>redis1:6379,password=...</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Full StackExchange.Redis options; when set, <see cref="ConnectionString"/> is ignored.</summary>
    public ConfigurationOptions? Configuration { get; set; }

    /// <summary>
    /// Prefix of every channel and key the backplane uses, so several applications can share one Redis. Every node of
    /// one cluster must use the same prefix. Default <c>gateway</c>.
    /// </summary>
    public string ChannelPrefix { get; set; } = "gateway";

    /// <summary>What happens when Redis cannot be reached. Default <see cref="RedisFailurePolicy.DeliverLocally"/>.</summary>
    public RedisFailurePolicy FailurePolicy { get; set; } = RedisFailurePolicy.DeliverLocally;

    /// <summary>
    /// How long a node's presence entries outlive its last heartbeat: a node that dies without cleaning up disappears
    /// from presence queries after this. Default 30 seconds.
    /// </summary>
    public TimeSpan PresenceExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a node renews its heartbeat and removes expired nodes; must be shorter than <see cref="PresenceExpiry"/>. Default: a third of it.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    internal TimeSpan EffectiveHeartbeat => HeartbeatInterval ?? PresenceExpiry / 3;
}

/// <summary>How the backplane behaves when Redis cannot be reached.</summary>
public enum RedisFailurePolicy
{
    /// <summary>
    /// The node starts and keeps serving: pushes reach the local connections, cross-node messages are dropped (counted
    /// by the metric <c>gateway.backplane.dropped</c>, a warning is logged), and the backplane reconnects and resubscribes
    /// by itself.
    /// </summary>
    DeliverLocally,

    /// <summary>
    /// As <see cref="DeliverLocally"/> once running, but the host does not start when Redis cannot be reached at start-up,
    /// for deployments where a node alone is worse than no node.
    /// </summary>
    FailStartup,
}
