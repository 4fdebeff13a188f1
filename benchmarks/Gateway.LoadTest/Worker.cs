using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Gateway.LoadTest;

/// <summary>
/// The load-generating side, run by the harness as its own child process (pinned to the client core, with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> set at its start). It prints one
/// <see cref="WorkerResult"/> line on stdout.
/// </summary>
internal static class Worker
{
    private const int LoadReceiveBuffer = 64 * 1024;
    private const int StableSeconds = 5;
    private const double StableSpread = 0.06;

    /// <summary>
    /// <c>--worker load|warm|idle|broadcast --protocol nest|signalr|socketio --port P --path /p --server-pid PID [--progress true]</c>,
    /// then for load <c>--connections N --inflight K --warmup s --duration s</c>, for warm (until the rate is
    /// stable) <c>--connections N --inflight K --min s --max s</c>, for idle <c>--count N --settle s</c>, for broadcast
    /// (see <see cref="Broadcast"/>) <c>--count N --repeats K</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        Dictionary<string, string> options = [];
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var endPoint = new IPEndPoint(IPAddress.Loopback, int.Parse(options["port"], CultureInfo.InvariantCulture));
        ServerProtocol protocol = ServerProtocols.Parse(options["protocol"]);
        string path = options["path"];
        int serverPid = int.Parse(options["server-pid"], CultureInfo.InvariantCulture);
        bool progress = options.GetValueOrDefault("progress") == "true";
        WorkerResult result = options["worker"] switch
        {
            "broadcast" => Broadcast.Run(endPoint, path, protocol, Int(options, "count"), Int(options, "repeats")),
            "idle" => RunIdle(endPoint, path, protocol, serverPid, Int(options, "count"), Seconds(options, "settle"), progress),
            "warm" => RunLoad(endPoint, path, protocol, serverPid, Int(options, "connections"), Int(options, "inflight"),
                TimeSpan.Zero, Seconds(options, "max"), progress, untilStable: true, Seconds(options, "min"), 0),
            _ => RunLoad(endPoint, path, protocol, serverPid, Int(options, "connections"), Int(options, "inflight"),
                Seconds(options, "warmup"), Seconds(options, "duration"), progress, untilStable: false, TimeSpan.Zero,
                options.TryGetValue("round-trips", out string? count) ? long.Parse(count, CultureInfo.InvariantCulture) : 0),
        };
        Console.Out.WriteLine(WorkerResult.Marker + JsonSerializer.Serialize(result, WorkerJsonContext.Default.WorkerResult));
        return 0;
    }

    private static WorkerResult RunLoad(
        IPEndPoint endPoint, string path, ServerProtocol protocol, int serverPid, int connections, int inFlight,
        TimeSpan warmup, TimeSpan duration, bool progress, bool untilStable, TimeSpan minimum, long roundTrips)
    {
        var result = new WorkerResult
        {
            Kind = untilStable ? "warm" : "load",
            Connections = connections,
            InFlight = inFlight,
            TicksPerSecond = Stopwatch.Frequency,
        };
        using var setup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sockets = new List<WsConnection>();
        try
        {
            for (int i = 0; i < connections; i++)
            {
                sockets.Add(WsConnection.ConnectAsync(endPoint, path, protocol, LoadReceiveBuffer, setup.Token).GetAwaiter().GetResult());
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ProtocolException or OperationCanceledException)
        {
            result.Errors++;
            result.ErrorSamples.Add($"connection {sockets.Count + 1} of {connections} failed: {ex.Message}");
            sockets.ForEach(s => s.Dispose());
            return result;
        }

        long start = Stopwatch.GetTimestamp();
        var window = new LoadWindow(
            start + (long)(warmup.TotalSeconds * Stopwatch.Frequency),
            start + (long)((warmup + duration).TotalSeconds * Stopwatch.Frequency));
        if (roundTrips > 0)
        {
            // A fixed count of round trips: every server does the same work, so its CPU seconds compare directly.
            window.EndAfter(roundTrips, serverPid);
        }

        var load = sockets.Select(s => new LoadConnection(s, protocol, inFlight, window)).ToList();
        // With inline completions each loop runs on the socket engine's thread from its first pending receive on.
        Task[] running = load.Select(c => c.RunAsync()).ToArray();

        if (untilStable)
        {
            // A warm-up (JIT tiering of the server under this load): measured from its start, ended once stable.
            CpuSnapshot first = CpuSnapshot.Take(serverPid);
            result.StableRate = WaitUntilStable(window, load, progress, minimum, result.WarmupRates, out double seconds);
            CpuSnapshot last = CpuSnapshot.Take(serverPid);
            result.MeasuredSeconds = seconds;
            result.ServerCpu = (last.ServerCpuSeconds - first.ServerCpuSeconds) / (last.WallSeconds - first.WallSeconds);
            result.ClientCpu = (last.ClientCpuSeconds - first.ClientCpuSeconds) / (last.WallSeconds - first.WallSeconds);
        }

        SleepUntil(window.Start, load, progress);
        CpuSnapshot before = CpuSnapshot.Take(serverPid);
        long end;
        while ((end = window.End) > Stopwatch.GetTimestamp())
        {
            // The window may end early (a round-trip count reached): look every 10 ms.
            SleepUntil(Math.Min(end, Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100)), load, progress);
        }

        CpuSnapshot after = CpuSnapshot.Take(serverPid);

        // Replies still in flight are drained (and checked); a connection stuck past this is an error.
        if (!Task.WaitAll(running, TimeSpan.FromSeconds(10)))
        {
            for (int i = 0; i < running.Length; i++)
            {
                if (!running[i].IsCompleted)
                {
                    load[i].Abandon();
                }
            }
        }

        Task.WaitAll(load.Where(c => !c.Failed).Select(c => c.CloseAsync()).ToArray(), TimeSpan.FromSeconds(5));
        load.ForEach(c => c.Abandon());

        var latency = new Histogram();
        foreach (LoadConnection connection in load)
        {
            latency.Add(connection.Latency);
            result.RoundTrips += connection.RoundTrips;
            result.Errors += connection.Errors;
            result.ErrorSamples.AddRange(connection.ErrorSamples.Take(Math.Max(0, 5 - result.ErrorSamples.Count)));
            if (connection.RoundTrips == 0 && connection.Errors == 0 && !untilStable)
            {
                result.Errors++;
                result.ErrorSamples.Add("a connection completed no round trip in the measured window");
            }
        }

        if (untilStable)
        {
            return result;
        }

        double wall = after.WallSeconds - before.WallSeconds;
        result.MeasuredSeconds = (window.End - window.Start) / (double)Stopwatch.Frequency;
        result.RoundTripsTarget = roundTrips;
        // CPU seconds of the server from the window's start to the reply that completed the count (read by that
        // connection at once), or to the end of a timed window.
        result.ServerCpuSeconds = (double.IsNaN(window.ServerCpuAtEnd) ? after.ServerCpuSeconds : window.ServerCpuAtEnd) - before.ServerCpuSeconds;
        result.Histogram = latency.ToSparse();
        result.MaxTicks = latency.Max;
        result.ClientCpu = (after.ClientCpuSeconds - before.ClientCpuSeconds) / wall;
        result.ServerCpu = (after.ServerCpuSeconds - before.ServerCpuSeconds) / wall;
        result.CoreBusy = ProcStats.CoreBusy(before.Cores, after.Cores);
        return result;
    }

    private static WorkerResult RunIdle(
        IPEndPoint endPoint, string path, ServerProtocol protocol, int serverPid, int count, TimeSpan settle, bool progress)
    {
        var result = new WorkerResult { Kind = "idle", Connections = count };
        Thread.Sleep(TimeSpan.FromSeconds(Math.Min(settle.TotalSeconds, 1)));
        result.RssBeforeKb = ProcStats.RssKb(serverPid);

        var errors = new List<string>();
        var opening = Stopwatch.StartNew();
        WsConnection?[] open = IdleConnections.Open(endPoint, path, protocol, count, "idle connection", errors);
        result.OpenSeconds = opening.Elapsed.TotalSeconds;

        // Let the server settle (pending log writes, timers, a GC if its allocations trigger one) before measuring.
        long settled = Stopwatch.GetTimestamp() + (long)(settle.TotalSeconds * Stopwatch.Frequency);
        while (progress && Stopwatch.GetTimestamp() < settled)
        {
            Console.Error.WriteLine($"idle RSS {ProcStats.RssKb(serverPid)} KB");
            SleepUntil(Math.Min(settled, Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 2)));
        }

        SleepUntil(settled);
        result.RssAfterKb = ProcStats.RssKb(serverPid);

        Task.WaitAll(open.Where(c => c is not null).Select(c => c!.CloseAsync(TimeSpan.FromSeconds(5))).ToArray(), TimeSpan.FromSeconds(15));
        foreach (WsConnection? connection in open)
        {
            connection?.Dispose();
        }

        result.Errors = errors.Count;
        result.ErrorSamples = errors.Take(5).ToList();
        return result;
    }

    private static void SleepUntil(long timestamp)
    {
        long remaining;
        while ((remaining = timestamp - Stopwatch.GetTimestamp()) > 0)
        {
            // Rounded up: Thread.Sleep(0) would spin.
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency)));
        }
    }

    /// <summary>Sleeps until <paramref name="timestamp"/>; with <paramref name="progress"/>, reports round trips/s each second on stderr.</summary>
    private static void SleepUntil(long timestamp, List<LoadConnection> load, bool progress)
    {
        if (!progress)
        {
            SleepUntil(timestamp);
            return;
        }

        long last = Stopwatch.GetTimestamp();
        long completed = load.Sum(c => c.Completed);
        while (Stopwatch.GetTimestamp() < timestamp)
        {
            SleepUntil(Math.Min(timestamp, last + Stopwatch.Frequency));
            if (Stopwatch.GetTimestamp() - last < Stopwatch.Frequency / 2)
            {
                continue;
            }

            long now = Stopwatch.GetTimestamp();
            long total = load.Sum(c => c.Completed);
            Console.Error.WriteLine($"progress {(total - completed) * (double)Stopwatch.Frequency / (now - last):F0} rt/s");
            (last, completed) = (now, total);
        }
    }

    /// <summary>
    /// Runs for at least <paramref name="minimum"/> and until the round trips/s of the last <see cref="StableSeconds"/>
    /// one-second intervals are within ±<see cref="StableSpread"/> of their mean (or the window ends), then ends the window.
    /// The server's JIT tiers up in steps under this load, with plateaus of a few seconds between them.
    /// </summary>
    /// <returns>The rate of the last intervals (round trips/s).</returns>
    private static double WaitUntilStable(LoadWindow window, List<LoadConnection> load, bool progress, TimeSpan minimum, List<double> curve, out double seconds)
    {
        long began = Stopwatch.GetTimestamp();
        long last = began;
        long completed = 0;
        var rates = new List<double>();
        while (Stopwatch.GetTimestamp() < window.End)
        {
            SleepUntil(Math.Min(window.End, last + Stopwatch.Frequency));
            long now = Stopwatch.GetTimestamp();
            long total = load.Sum(c => c.Completed);
            rates.Add((total - completed) * (double)Stopwatch.Frequency / (now - last));
            curve.Add(rates[^1]);
            (last, completed) = (now, total);
            if (progress)
            {
                Console.Error.WriteLine($"warm-up {rates[^1]:F0} rt/s");
            }

            if (rates.Count >= StableSeconds && (now - began) >= minimum.TotalSeconds * Stopwatch.Frequency)
            {
                List<double> recent = rates.TakeLast(StableSeconds).ToList();
                double mean = recent.Average();
                if (mean > 0 && recent.All(r => Math.Abs(r - mean) <= StableSpread * mean))
                {
                    window.End = now;
                    break;
                }
            }
        }

        seconds = (Stopwatch.GetTimestamp() - began) / (double)Stopwatch.Frequency;
        return rates.TakeLast(StableSeconds).DefaultIfEmpty(0).Average();
    }

    private static int Int(Dictionary<string, string> options, string name) => int.Parse(options[name], CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(Dictionary<string, string> options, string name) =>
        TimeSpan.FromSeconds(double.Parse(options[name], CultureInfo.InvariantCulture));

    private sealed record CpuSnapshot(double WallSeconds, double ClientCpuSeconds, double ServerCpuSeconds, (long Busy, long Total)[] Cores)
    {
        public static CpuSnapshot Take(int serverPid)
        {
            using var self = Process.GetCurrentProcess();
            return new CpuSnapshot(
                Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency,
                self.TotalProcessorTime.TotalSeconds,
                ProcStats.ProcessCpuSeconds(serverPid),
                ProcStats.CoreTicks());
        }
    }
}
