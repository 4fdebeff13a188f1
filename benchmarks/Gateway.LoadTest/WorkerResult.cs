using System.Text.Json.Serialization;

namespace Gateway.LoadTest;

/// <summary>What a worker process reports to the harness (one JSON line on its stdout).</summary>
internal sealed class WorkerResult
{
    public const string Marker = "RESULT ";

    public string Kind { get; set; } = "";

    public int Connections { get; set; }

    public int InFlight { get; set; }

    public double MeasuredSeconds { get; set; }

    public long RoundTrips { get; set; }

    public long Errors { get; set; }

    public List<string> ErrorSamples { get; set; } = [];

    /// <summary>Latency histogram (Stopwatch ticks) as index, count pairs.</summary>
    public List<long> Histogram { get; set; } = [];

    public long MaxTicks { get; set; }

    public long TicksPerSecond { get; set; }

    /// <summary>The load generator's CPU over the measured window, in cores (1.0 = one core busy).</summary>
    public double ClientCpu { get; set; }

    /// <summary>The server's CPU over the measured window, in cores.</summary>
    public double ServerCpu { get; set; }

    /// <summary>The server's user + system CPU seconds (<c>/proc/&lt;pid&gt;/stat</c>) over the measured round trips.</summary>
    public double ServerCpuSeconds { get; set; }

    /// <summary>The round trips the window was to count (0: a timed window).</summary>
    public long RoundTripsTarget { get; set; }

    /// <summary>Busy fraction of each core over the measured window.</summary>
    public List<double> CoreBusy { get; set; } = [];

    public long RssBeforeKb { get; set; }

    public long RssAfterKb { get; set; }

    public double OpenSeconds { get; set; }

    /// <summary>For a warm-up: the round trips/s of each of its seconds (how the server's JIT tiered up).</summary>
    public List<double> WarmupRates { get; set; } = [];

    /// <summary>For a warm-up: the round trips/s it ended at.</summary>
    public double StableRate { get; set; }

    /// <summary>For a broadcast: the first (cold) broadcast, until the last connection had its tick, in ms.</summary>
    public double ColdBroadcastMs { get; set; }

    /// <summary>For a broadcast: each measured broadcast, until the last connection had its tick, in ms.</summary>
    public List<double> BroadcastMs { get; set; } = [];

    /// <summary>For a broadcast: each measured broadcast, until the first connection had its tick, in ms.</summary>
    public List<double> BroadcastFirstMs { get; set; } = [];

    public double RoundTripsPerSecond => MeasuredSeconds > 0 ? RoundTrips / MeasuredSeconds : 0;

    /// <summary>The server's CPU time per round trip, µs.</summary>
    public double ServerCpuMicrosPerRoundTrip => RoundTrips > 0 ? ServerCpuSeconds * 1e6 / RoundTrips : double.NaN;
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(WorkerResult))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
