using System.Threading.RateLimiting;

namespace Gateway;

/// <summary>
/// Rate limits on inbound messages, with System.Threading.RateLimiting. Each limiter is partitioned by connection
/// (or by whatever its partition key says: a user, an address), so one busy client never slows down another:
/// <code>
/// o.RateLimiting.Messages = PartitionedRateLimiter.Create&lt;GatewayClient, string&gt;(client =&gt;
///     RateLimitPartition.GetTokenBucketLimiter(client.Id, _ =&gt; new TokenBucketRateLimiterOptions
///     {
///         TokenLimit = 100, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
///     }));
/// o.RateLimiting.Policies["chat"] = ...;   // for [RateLimit("chat")] handlers
/// </code>
/// </summary>
public sealed class GatewayRateLimitingOptions
{
    /// <summary>
    /// The limiter every inbound message of every connection passes (one permit a message, whatever its event,
    /// malformed ones included). <see langword="null"/>: no limit. Default: <see langword="null"/>.
    /// </summary>
    public PartitionedRateLimiter<GatewayClient>? Messages { get; set; }

    /// <summary>
    /// Named limiters for handlers marked <see cref="RateLimitAttribute"/>; a message to such a handler takes a permit
    /// from <see cref="Messages"/> and one from its policy.
    /// </summary>
    public IDictionary<string, PartitionedRateLimiter<GatewayClient>> Policies { get; } =
        new Dictionary<string, PartitionedRateLimiter<GatewayClient>>(StringComparer.Ordinal);

    /// <summary>
    /// What a message over a limit gets: an <c>exception</c> frame <c>"Too many requests"</c> (the connection stays),
    /// or the close of its connection with 1008. Either way the message is not handled, and it is counted on
    /// <c>gateway.server.errors</c> with <c>error.type</c> <c>rate_limited</c>. Default: <see cref="RateLimitedAction.Reply"/>.
    /// </summary>
    public RateLimitedAction OnRejected { get; set; } = RateLimitedAction.Reply;
}

/// <summary>What happens to a message over a rate limit.</summary>
public enum RateLimitedAction
{
    /// <summary>The client gets an <c>exception</c> frame, <c>"Too many requests"</c>; the connection stays open.</summary>
    Reply,

    /// <summary>The connection is closed with 1008 (policy violation).</summary>
    Close,
}
