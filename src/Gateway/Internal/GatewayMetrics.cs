using System.Diagnostics.Metrics;

namespace Gateway.Internal;

/// <summary>Gateway's counters, on the meter <c>Gateway</c>.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _messagesDropped;
    private readonly Counter<long> _handlerErrors;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _connectionsRejected;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        _activeConnections = meter.CreateUpDownCounter<long>(
            "gateway.connections.active", "{connection}", "Open WebSocket connections.");
        _messagesReceived = meter.CreateCounter<long>(
            "gateway.messages.received", "{message}", "Inbound messages, dispatched or not.");
        _messagesDropped = meter.CreateCounter<long>(
            "gateway.messages.dropped", "{message}", "Inbound messages no handler ran for (tag: reason).");
        _handlerErrors = meter.CreateCounter<long>(
            "gateway.handler.errors", "{error}", "Handlers that ended with an exception frame.");
        _framesDropped = meter.CreateCounter<long>(
            "gateway.frames.dropped", "{frame}", "Outbound frames addressed to a connection and never sent (tag: reason).");
        _connectionsRejected = meter.CreateCounter<long>(
            "gateway.connections.rejected", "{connection}", "WebSocket handshakes refused before the upgrade (tag: reason).");
    }

    public void ConnectionOpened() => _activeConnections.Add(1);

    public void ConnectionClosed() => _activeConnections.Add(-1);

    public void MessageReceived() => _messagesReceived.Add(1);

    public void MessageDropped(string reason) => _messagesDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void HandlerFailed() => _handlerErrors.Add(1);

    public void ConnectionRejected(string reason) => _connectionsRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void FramesDropped(long count, string reason) => _framesDropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
}
