using Microsoft.Extensions.Logging;

namespace Gateway.Redis;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Redis backplane: node {NodeId} connected to {Endpoints}.")]
    public static partial void Connected(ILogger logger, string nodeId, string endpoints);

    [LoggerMessage(2, LogLevel.Warning, "Redis backplane: Redis is unreachable ({Reason}). Pushes reach this node's connections only; cross-node messages are dropped until it reconnects, which it does by itself.")]
    public static partial void Unreachable(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(3, LogLevel.Information, "Redis backplane: reconnected to Redis; resubscribing {Channels} channels and rewriting this node's presence.")]
    public static partial void Reconnected(ILogger logger, int channels);

    [LoggerMessage(4, LogLevel.Debug, "Redis backplane: subscribing to {Channel} failed; retried when the connection is restored.")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Redis backplane: the heartbeat failed; this node disappears from presence after the expiry unless Redis comes back.")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Redis backplane: removed node {NodeId}, whose heartbeat expired, from presence ({Connections} connections).")]
    public static partial void NodeExpired(ILogger logger, string nodeId, int connections);

    [LoggerMessage(7, LogLevel.Debug, "Redis backplane: a presence update failed.")]
    public static partial void PresenceWriteFailed(ILogger logger, Exception exception);
}
