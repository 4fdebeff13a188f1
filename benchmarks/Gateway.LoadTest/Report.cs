using System.Globalization;
using System.Text;

namespace Gateway.LoadTest;

/// <summary>The Markdown report: absolutes, ratios to the hand-written server, the machine and the command.</summary>
internal static partial class Report
{
    private const string Baseline = "raw";
    private const string SignalR = "signalr";

    public static double Micros(long ticks, long ticksPerSecond) => ticks * 1e6 / ticksPerSecond;

    public static string Build(
        HarnessOptions options, MachineInfo machine, bool pinned, IReadOnlyList<ServerSpec> servers, IReadOnlyList<ServerRun> runs, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        string order = string.Join(" ", Enumerable.Range(1, options.Passes)
            .SelectMany(pass => pass % 2 == 1 ? servers : servers.AsEnumerable().Reverse())
            .Select(s => s.Key));
        Line(md, $"### {(options.Smoke ? "Smoke run" : "Run")} of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line(md);
        Line(md, $"- Command: `{options.CommandLine}` (after `dotnet build -c Release benchmarks/Gateway.LoadTest`); took {elapsed.TotalSeconds:F0} s.");
        Line(md, $"- Built from {MachineInfo.SourceVersion()}.");
        Line(md, $"- Machine: {machine.Cores} cores, {machine.CpuModel}, {machine.MemoryMb / 1024.0:F0} GB; {machine.Os}, kernel {machine.Kernel}; {machine.Dotnet}.");
        md.Append(pinned
            ? "- Servers pinned to core 0, the load generator to core 1 (`taskset`). "
            : "- Not pinned (fewer than 2 cores, or `--no-pin`). ");
        string launch = servers.Any(s => s.Command[0] == "node") ? "`dotnet <dll> --urls ...` or `node server.mjs --urls ...`" : "`dotnet <dll> --urls ...`";
        md.Append(CultureInfo.InvariantCulture, $"Order: {order}; every server is a fresh process per pass ({launch}, default settings).");
        Line(md);
        string window = options.RoundTrips == 0 || options.Smoke
            ? $"{options.WarmupSeconds} s warm-up then {options.DurationSeconds} s measured"
            : $"{options.WarmupSeconds} s warm-up then a fixed count of round trips measured ({string.Join(", ", options.Scenarios.Select(sc => $"{sc.Connections}×{sc.InFlight}: {Thousands(options.RoundTripsFor(sc))}"))}; at most {options.DurationSeconds * 3} s)";
        Line(md, $"- Load: closed loop, N connections × K `identity` requests in flight each (distinct numbers, every reply checked), " +
            $"{window}, after a server warm-up (the largest scenario " +
            $"for at least {options.ServerWarmupSeconds} s and until 5 one-second rates are within ±6%, at most {options.ServerWarmupMaxSeconds} s: " +
            "a server pinned to one core tiers its JIT up slowly, in steps). Latency per request, from the send of its batch to the " +
            "receipt of its reply. **Server CPU µs per round trip**: the server's utime + stime (`/proc/<pid>/stat`, all threads, 10 ms ticks) " +
            "from the window's start to the reply that completed the count, divided by the round trips counted; far less noisy on a shared " +
            "machine than round trips/s. CPU is in cores (100% = one core busy) over the measured window; " +
            "*other* is the busy time of all cores minus the server's and the load generator's (kernel softirq work of loopback TCP, " +
            "or another process disturbing the run).");
        Line(md);

        List<ServerSpec> loadServers = servers.Where(s => s.LoadScenarios).ToList();
        if (loadServers.Count > 0 && options.Scenarios.Count > 0)
        {
            Line(md, "| scenario | server | server CPU µs per round trip (per pass) | × hand-written | × SignalR | round trips/s (per pass) | × hand-written | p50 µs | × hand-written | p99 µs | max µs | errors | server CPU | load generator CPU | core 0 / core 1 busy | other |");
            Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach ((int connections, int inFlight) scenario in options.Scenarios)
            {
                LoadSummary? baseline = LoadSummary.Of(runs, Baseline, scenario);
                LoadSummary? signalR = LoadSummary.Of(runs, SignalR, scenario);
                foreach (ServerSpec server in loadServers)
                {
                    LoadSummary? summary = LoadSummary.Of(runs, server.Key, scenario);
                    if (summary is null)
                    {
                        Line(md, $"| {scenario.connections}×{scenario.inFlight} | {server.Name} | failed | | | | | | | | | | | | | |");
                        continue;
                    }

                    string perPass = summary.PerPass.Count > 1 ? $" ({string.Join(" / ", summary.PerPass.Select(Thousands))})" : "";
                    string cpuPerPass = summary.CpuPerPass.Count > 1 ? $" ({string.Join(" / ", summary.CpuPerPass.Select(Micros2))})" : "";
                    Line(md, $"| {scenario.connections}×{scenario.inFlight} | {server.Name} | **{Micros2(summary.CpuUs)}**{cpuPerPass} " +
                        $"| {Ratio(summary.CpuUs, baseline?.CpuUs)} | {Ratio(summary.CpuUs, signalR?.CpuUs)} " +
                        $"| {Thousands(summary.RoundTripsPerSecond)}{perPass} " +
                        $"| {Ratio(summary.RoundTripsPerSecond, baseline?.RoundTripsPerSecond)} | {summary.P50Us:F0} | {Ratio(summary.P50Us, baseline?.P50Us)} " +
                        $"| {summary.P99Us:F0} | {summary.MaxUs:F0} | {summary.Errors} | {summary.ServerCpu:P0} | {summary.ClientCpu:P0} | {summary.CoreBusy} | {summary.OtherCpu:P0} |");
                }
            }

            Line(md);
        }

        Line(md, $"| server | startup ms (median of n) | × hand-written | RSS before MB | RSS with {options.IdleConnections:N0} idle connections MB | KB per idle connection | × hand-written | server warm-up s (rt/s reached; first second at ≥ 90% of that), per pass |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
        StartupSummary? startBase = StartupSummary.Of(runs, Baseline);
        foreach (ServerSpec server in servers)
        {
            StartupSummary? s = StartupSummary.Of(runs, server.Key);
            if (s is null)
            {
                Line(md, $"| {server.Name} | failed | | | | | | |");
                continue;
            }

            string idle = s.KbPerConnection is double kb
                ? $"{s.RssBeforeMb:F1} | {s.RssAfterMb:F1} | {kb:F1} | {Ratio(kb, startBase?.KbPerConnection)}"
                : "– | – | – | –";
            string warmups = string.Join(" / ", runs.Where(r => r.Server.Key == server.Key && r.Warmup is not null)
                .Select(r => $"{r.Warmup!.MeasuredSeconds:F0} ({Thousands(r.Warmup.StableRate)}{NinetyPercent(r.Warmup)})"));
            Line(md, $"| {server.Name} | {s.MedianMs:F0} (n={s.Samples}) | {Ratio(s.MedianMs, startBase?.MedianMs)} | {idle} | {(warmups.Length > 0 ? warmups : "–")} |");
        }

        Line(md);
        AppendSocketIO(md, options, servers, runs);
        if (options.Smoke)
        {
            // A smoke run's servers are cold: after a second under load their JIT is still at tier 0 (on one core tiering
            // takes 15–25 s), where Gateway's longer code path costs relatively more. Its ratios say nothing.
            Line(md, "Smoke run: the servers are barely warmed up (JIT still at tier 0 on one core), so these numbers only show that " +
                "the harness and the servers work; compare ratios of a full run only.");
            Line(md);
        }
        else
        {
            AppendGoals(md, options, runs);
        }

        List<string> failures = runs.SelectMany(r => r.Failures.Select(f => $"pass {r.Pass}: {f}"))
            .Concat(runs.SelectMany(r => r.Load.Values.Append(r.Idle).Append(r.Warmup).OfType<WorkerResult>()
                .SelectMany(l => l.ErrorSamples.Select(e => $"pass {r.Pass} {r.Server.Name} {l.Kind} {l.Connections}×{l.InFlight}: {e}"))))
            .ToList();
        if (failures.Count > 0)
        {
            Line(md, "Failures and wrong replies:");
            Line(md);
            foreach (string failure in failures)
            {
                Line(md, "    " + failure.ReplaceLineEndings("\n    "));
            }

            Line(md);
        }

        return md.ToString();
    }

    private static void AppendGoals(StringBuilder md, HarnessOptions options, IReadOnlyList<ServerRun> runs)
    {
        var goals = new List<string>();
        (int, int) throughput = options.Scenarios.OrderByDescending(s => s.Connections * s.InFlight).FirstOrDefault();
        (int, int) latency = options.Scenarios.OrderBy(s => s.Connections * s.InFlight).FirstOrDefault();
        LoadSummary? gatewayThroughput = LoadSummary.Of(runs, "gateway", throughput);
        LoadSummary? rawThroughput = LoadSummary.Of(runs, Baseline, throughput);
        if (gatewayThroughput is not null && rawThroughput is not null)
        {
            double cpu = gatewayThroughput.CpuUs / rawThroughput.CpuUs;
            goals.Add($"| server CPU per round trip at {throughput.Item1}×{throughput.Item2} ≤ 1.0× hand-written | {cpu:F2}× ({Micros2(gatewayThroughput.CpuUs)} vs {Micros2(rawThroughput.CpuUs)} µs) | {Met(cpu <= 1.0)} |");
            double ratio = gatewayThroughput.RoundTripsPerSecond / rawThroughput.RoundTripsPerSecond;
            goals.Add($"| throughput at {throughput.Item1}×{throughput.Item2} ≥ 1.0× hand-written | {ratio:F2}× | {Met(ratio >= 1.0)} |");
        }

        LoadSummary? gatewayLatency = LoadSummary.Of(runs, "gateway", latency);
        LoadSummary? rawLatency = LoadSummary.Of(runs, Baseline, latency);
        if (gatewayLatency is not null && rawLatency is not null)
        {
            double ratio = gatewayLatency.P50Us / rawLatency.P50Us;
            goals.Add($"| p50 latency at {latency.Item1}×{latency.Item2} ≤ 1.05× hand-written | {ratio:F2}× ({gatewayLatency.P50Us:F0} vs {rawLatency.P50Us:F0} µs) | {Met(ratio <= 1.05)} |");
        }

        if (StartupSummary.Of(runs, "gateway")?.KbPerConnection is double kb)
        {
            goals.Add($"| ≤ 18 KB per idle connection | {kb:F1} KB | {Met(kb <= 18)} |");
        }

        if (StartupSummary.Of(runs, "aot") is { } aot)
        {
            goals.Add($"| Native AOT startup ≤ 50 ms | {aot.MedianMs:F0} ms | {Met(aot.MedianMs <= 50)} |");
            if (aot.KbPerConnection is double aotKb)
            {
                goals.Add($"| ≤ 18 KB per idle connection (Native AOT) | {aotKb:F1} KB | {Met(aotKb <= 18)} |");
            }
        }

        if (goals.Count == 0)
        {
            return;
        }

        Line(md, "| Gateway goal | measured | met |");
        Line(md, "|---|---:|---|");
        goals.ForEach(goal => Line(md, goal));
        Line(md);
    }

    /// <summary>The broadcast scenario's section (with the run's header when it ran alone).</summary>
    public static string Broadcast(
        HarnessOptions options, MachineInfo machine, bool pinned, IReadOnlyList<ServerSpec> servers, IReadOnlyList<BroadcastRun> runs, TimeSpan elapsed, bool header)
    {
        var md = new StringBuilder();
        if (header)
        {
            Line(md, $"### {(options.Smoke ? "Smoke run" : "Run")} of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Line(md);
            Line(md, $"- Command: `{options.CommandLine}` (after `dotnet build -c Release benchmarks/Gateway.LoadTest`); took {elapsed.TotalSeconds:F0} s.");
            Line(md, $"- Built from {MachineInfo.SourceVersion()}.");
            Line(md, $"- Machine: {machine.Cores} cores, {machine.CpuModel}, {machine.MemoryMb / 1024.0:F0} GB; {machine.Os}, kernel {machine.Kernel}; {machine.Dotnet}.");
            Line(md, pinned
                ? "- Servers pinned to core 0, the load generator to core 1 (`taskset`); every server is a fresh process per pass."
                : "- Not pinned (fewer than 2 cores, or `--no-pin`).");
            Line(md);
        }

        string order = string.Join(" ", Enumerable.Range(1, options.Passes)
            .SelectMany(pass => pass % 2 == 1 ? servers : servers.AsEnumerable().Reverse())
            .Select(s => s.Key));
        Line(md, $"Broadcast to {Thousands(options.BroadcastConnections)} connections (order: {order}): each connection opened and used for one " +
            "`identity` round trip, then idle; a control connection sends the broadcast request; time from its send until the last of the " +
            $"{Thousands(options.BroadcastConnections)} connections has received its `tick` frame (every connection checked for exactly one tick " +
            $"with the right number). One cold broadcast first, then {options.Broadcasts} measured per server and pass.");
        Line(md);
        Line(md, "| server | cold broadcast ms (per pass) | median ms | max ms | min ms | first connection's tick, median ms | all measured broadcasts ms | errors |");
        Line(md, "|---|---:|---:|---:|---:|---:|---|---:|");
        foreach (ServerSpec server in servers)
        {
            List<BroadcastRun> mine = runs.Where(r => r.Server.Key == server.Key).ToList();
            List<WorkerResult> results = mine.Select(r => r.Result).OfType<WorkerResult>().ToList();
            List<double> all = results.SelectMany(r => r.BroadcastMs).ToList();
            long errors = results.Sum(r => r.Errors) + mine.Count(r => r.Failure is not null);
            if (all.Count == 0)
            {
                Line(md, $"| {server.Name} | failed | | | | | | {errors} |");
                continue;
            }

            Line(md, $"| {server.Name} | {string.Join(" / ", results.Select(r => r.ColdBroadcastMs.ToString("F1", CultureInfo.InvariantCulture)))} " +
                $"| {Median(all):F1} | {all.Max():F1} | {all.Min():F1} | {Median(results.SelectMany(r => r.BroadcastFirstMs).ToList()):F2} " +
                $"| {string.Join(" / ", results.Select(r => string.Join(", ", r.BroadcastMs.Select(ms => ms.ToString("F1", CultureInfo.InvariantCulture)))))} | {errors} |");
        }

        Line(md);
        return md.ToString();
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Micros2(double micros) => micros.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>"; 90% at N s": the first second of a warm-up whose rate reached 90% of the rate it ended at.</summary>
    private static string NinetyPercent(WorkerResult warmup)
    {
        int second = warmup.WarmupRates.FindIndex(rate => rate >= 0.9 * warmup.StableRate);
        return second < 0 ? "" : $"; {second + 1} s";
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is double b && b > 0 && !double.IsNaN(value) ? (value / b).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";

    private static string Thousands(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, string line = "") => md.Append(line).Append('\n');

    private sealed record LoadSummary(
        double RoundTripsPerSecond, List<double> PerPass, double CpuUs, List<double> CpuPerPass, double P50Us, double P99Us, double MaxUs, long Errors,
        double ServerCpu, double ClientCpu, string CoreBusy, double OtherCpu)
    {
        public static LoadSummary? Of(IReadOnlyList<ServerRun> runs, string server, (int, int) scenario)
        {
            List<WorkerResult> results = runs.Where(r => r.Server.Key == server)
                .Select(r => r.Load.GetValueOrDefault(scenario)).OfType<WorkerResult>().ToList();
            if (results.Count == 0)
            {
                return null;
            }

            var latency = new Histogram();
            results.ForEach(r => latency.Add(Histogram.FromSparse(r.Histogram, r.MaxTicks)));
            long tps = results[0].TicksPerSecond;
            int cores = results.Min(r => r.CoreBusy.Count);
            string busy = string.Join(" / ", Enumerable.Range(0, Math.Min(cores, 2))
                .Select(c => results.Average(r => r.CoreBusy[c]).ToString("P0", CultureInfo.InvariantCulture)));
            return new LoadSummary(
                results.Average(r => r.RoundTripsPerSecond),
                results.Select(r => r.RoundTripsPerSecond).ToList(),
                // Over all passes: total CPU seconds over total round trips.
                results.Sum(r => r.ServerCpuSeconds) * 1e6 / Math.Max(1, results.Sum(r => r.RoundTrips)),
                results.Select(r => r.ServerCpuMicrosPerRoundTrip).ToList(),
                Micros(latency.Quantile(0.50), tps),
                Micros(latency.Quantile(0.99), tps),
                Micros(latency.Max, tps),
                results.Sum(r => r.Errors),
                results.Average(r => r.ServerCpu),
                results.Average(r => r.ClientCpu),
                busy,
                results.Average(r => Math.Max(0, r.CoreBusy.Sum() - r.ServerCpu - r.ClientCpu)));
        }
    }

    private sealed record StartupSummary(double MedianMs, int Samples, double RssBeforeMb, double RssAfterMb, double? KbPerConnection)
    {
        public static StartupSummary? Of(IReadOnlyList<ServerRun> runs, string server)
        {
            List<ServerRun> mine = runs.Where(r => r.Server.Key == server).ToList();
            List<double> startups = mine.SelectMany(r => r.StartupMs).Order().ToList();
            if (startups.Count == 0)
            {
                return null;
            }

            double median = startups.Count % 2 == 1
                ? startups[startups.Count / 2]
                : (startups[(startups.Count / 2) - 1] + startups[startups.Count / 2]) / 2;
            List<WorkerResult> idle = mine.Select(r => r.Idle).OfType<WorkerResult>()
                .Where(i => i.RssBeforeKb > 0 && i.RssAfterKb > 0 && i.Connections > 0).ToList();
            if (idle.Count == 0)
            {
                return new StartupSummary(median, startups.Count, double.NaN, double.NaN, null);
            }

            return new StartupSummary(
                median,
                startups.Count,
                idle.Average(i => i.RssBeforeKb) / 1024.0,
                idle.Average(i => i.RssAfterKb) / 1024.0,
                idle.Average(i => (i.RssAfterKb - i.RssBeforeKb) / (double)i.Connections));
        }
    }
}
