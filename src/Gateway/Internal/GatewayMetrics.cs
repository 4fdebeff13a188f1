using System.Diagnostics.Metrics;
using System.Net.WebSockets;

namespace Gateway.Internal;

/// <summary>
/// Gateway's instruments, on the meter <see cref="GatewayDiagnostics.MeterName"/>, named and tagged in the
/// OpenTelemetry semantic-convention style (docs/observability.md). Every tag value comes from a bounded set: the
/// paths and event names the application declares, and the fixed reasons below; an event no handler has is counted
/// under <c>_unknown</c>, so a client cannot grow the cardinality. With no listener, each record is a flag check.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = GatewayDiagnostics.MeterName;

    /// <summary>The <c>gateway.event</c> of a message no handler claims, or that is not a message at all.</summary>
    public const string UnknownEvent = "_unknown";

    private readonly UpDownCounter<long> _activeConnections;
    private readonly Histogram<double> _connectionDuration;
    private readonly Counter<long> _connectionsRejected;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Histogram<double> _handlerDuration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _framesDropped;
    private readonly Histogram<int> _broadcastRecipients;
    private readonly Counter<long> _resumptions;
    private Func<IEnumerable<Measurement<long>>>? _queuedBytes;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        _activeConnections = meter.CreateUpDownCounter<long>(
            "gateway.server.active_connections", "{connection}", "Open WebSocket connections.");
        _connectionDuration = meter.CreateHistogram(
            "gateway.server.connection.duration", "s", "How long connections stayed open, by how they ended.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1, 10, 60, 300, 1800, 3600, 14400, 86400] });
        _connectionsRejected = meter.CreateCounter<long>(
            "gateway.server.connections.rejected", "{connection}", "Connections refused at the handshake or right after it, by reason.");
        _messagesReceived = meter.CreateCounter<long>(
            "gateway.server.messages.received", "{message}", "Inbound messages, by event (_unknown for none a handler claims).");
        _messagesSent = meter.CreateCounter<long>(
            "gateway.server.messages.sent", "{message}", "Outbound frames written to connections: replies, pushes and errors.");
        _bytesReceived = meter.CreateCounter<long>(
            "gateway.server.received_bytes", "By", "Bytes of inbound messages.");
        _bytesSent = meter.CreateCounter<long>(
            "gateway.server.sent_bytes", "By", "Bytes of outbound frames.");
        _handlerDuration = meter.CreateHistogram(
            "gateway.server.handler.duration", "s", "Time from dispatch to the handler's last reply, by event and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _errors = meter.CreateCounter<long>(
            "gateway.server.errors", "{error}", "Messages that did not end well, by error.type.");
        _framesDropped = meter.CreateCounter<long>(
            "gateway.server.frames.dropped", "{frame}", "Outbound frames addressed to a connection and never sent, by reason.");
        _broadcastRecipients = meter.CreateHistogram<int>(
            "gateway.server.broadcast.recipients", "{connection}", "Local connections one push was queued for.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 50, 100, 500, 1000, 5000, 10000] });
        _resumptions = meter.CreateCounter<long>(
            "gateway.server.connection.resumptions", "{connection}", "Clients that came back for a lost connection, by outcome (resumed, expired, overflow, unknown).");
        meter.CreateObservableUpDownCounter(
            "gateway.server.outbound_queue.size", () => _queuedBytes?.Invoke() ?? [], "By", "Bytes of pushed frames waiting in connections' queues.");
    }

    /// <summary>Whether handler durations are being listened to: only then does a message read the clock.</summary>
    public bool HandlerDurationEnabled => _handlerDuration.Enabled;

    /// <summary>Feeds <c>gateway.server.outbound_queue.size</c>, read only when a listener collects it.</summary>
    public void ObserveQueues(Func<IEnumerable<Measurement<long>>> queuedBytes) => _queuedBytes = queuedBytes;

    public void ConnectionOpened(string path) => _activeConnections.Add(1, Path(path));

    public void ConnectionClosed(string path, WebSocketCloseStatus? status, TimeSpan duration)
    {
        _activeConnections.Add(-1, Path(path));
        if (_connectionDuration.Enabled)
        {
            _connectionDuration.Record(duration.TotalSeconds, Path(path), new("gateway.connection.status", StatusName(status)));
        }
    }

    public void ConnectionRejected(string path, string reason) =>
        _connectionsRejected.Add(1, Path(path), new("gateway.reject.reason", reason));

    public void MessageReceived(string path, string @event, int bytes)
    {
        _messagesReceived.Add(1, Path(path), new("gateway.event", @event));
        _bytesReceived.Add(bytes, Path(path));
    }

    public void MessageSent(string path, int bytes)
    {
        _messagesSent.Add(1, Path(path));
        _bytesSent.Add(bytes, Path(path));
    }

    public void HandlerCompleted(string path, string @event, string outcome, double seconds) =>
        _handlerDuration.Record(seconds, Path(path), new("gateway.event", @event), new("gateway.outcome", outcome));

    public void Error(string path, string @event, string errorType) =>
        _errors.Add(1, Path(path), new("gateway.event", @event), new("error.type", errorType));

    public void FramesDropped(string path, long count, string reason) =>
        _framesDropped.Add(count, Path(path), new("gateway.drop.reason", reason));

    public void Resumption(string path, string outcome) =>
        _resumptions.Add(1, Path(path), new("gateway.resumption.outcome", outcome));

    public void Broadcast(string path, int recipients) => _broadcastRecipients.Record(recipients, Path(path));

    private static KeyValuePair<string, object?> Path(string path) => new("gateway.path", path);

    /// <summary>The close status as OpenTelemetry spells enum values: snake case; <c>aborted</c> for none.</summary>
    private static string StatusName(WebSocketCloseStatus? status) => status switch
    {
        null => "aborted",
        WebSocketCloseStatus.NormalClosure => "normal_closure",
        WebSocketCloseStatus.EndpointUnavailable => "endpoint_unavailable",
        WebSocketCloseStatus.ProtocolError => "protocol_error",
        WebSocketCloseStatus.InvalidMessageType => "invalid_message_type",
        WebSocketCloseStatus.Empty => "empty",
        WebSocketCloseStatus.InvalidPayloadData => "invalid_payload_data",
        WebSocketCloseStatus.PolicyViolation => "policy_violation",
        WebSocketCloseStatus.MessageTooBig => "message_too_big",
        WebSocketCloseStatus.MandatoryExtension => "mandatory_extension",
        WebSocketCloseStatus.InternalServerError => "internal_server_error",
        _ => "other",
    };
}
