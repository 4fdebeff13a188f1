using System.Diagnostics.Metrics;

namespace Gateway.Redis;

/// <summary>The backplane's counters, on Gateway's meter <c>Gateway</c>.</summary>
internal sealed class BackplaneMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private readonly Counter<long> _dropped;
    private long _publishedCount;
    private long _receivedCount;
    private long _droppedCount;

    public BackplaneMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(GatewayDiagnostics.MeterName);
        _published = meter.CreateCounter<long>(
            "gateway.backplane.published", "{message}", "Pushes published to the other nodes (one per push, whatever the number of channels).");
        _received = meter.CreateCounter<long>(
            "gateway.backplane.received", "{message}", "Messages of other nodes received from Redis and delivered to local connections.");
        _dropped = meter.CreateCounter<long>(
            "gateway.backplane.dropped", "{message}", "Cross-node messages lost (tag: reason): Redis unreachable, a failed publish, an unreadable payload.");
    }

    public long PublishedCount => Interlocked.Read(ref _publishedCount);

    public long ReceivedCount => Interlocked.Read(ref _receivedCount);

    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    public void Published()
    {
        Interlocked.Increment(ref _publishedCount);
        _published.Add(1);
    }

    public void Received()
    {
        Interlocked.Increment(ref _receivedCount);
        _received.Add(1);
    }

    public void Dropped(string reason)
    {
        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }
}
