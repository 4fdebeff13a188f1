using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace Gateway.Benchmarks;

/// <summary>
/// The per-message cost of Gateway's telemetry: the same <c>identity</c> message with nobody listening (the
/// baseline: what every application pays), with a meter listener on every Gateway instrument (what dotnet-counters or
/// an OpenTelemetry metrics pipeline costs), and with an activity listener that records every message's activity.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private static readonly byte[] s_identity = """{"event":"identity","data":42}"""u8.ToArray();

    private InMemoryConnection _gateway = null!;
    private MeterListener? _meters;
    private ActivityListener? _activities;

    [GlobalSetup(Target = nameof(Unobserved))]
    public void SetupUnobserved() => _gateway = InMemoryConnection.Create();

    [GlobalSetup(Target = nameof(Metrics))]
    public void SetupMetrics()
    {
        _meters = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meters.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meters.Start();
        _gateway = InMemoryConnection.Create();
    }

    [GlobalSetup(Target = nameof(Traced))]
    public void SetupTraced()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == GatewayDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
        _gateway = InMemoryConnection.Create();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meters?.Dispose();
        _activities?.Dispose();
        _gateway.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask Unobserved() => _gateway.Connection.HandleMessageAsync(s_identity);

    [Benchmark]
    public ValueTask Metrics() => _gateway.Connection.HandleMessageAsync(s_identity);

    [Benchmark]
    public ValueTask Traced() => _gateway.Connection.HandleMessageAsync(s_identity);
}
