using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadTest;

/// <summary>One server's measurements in one pass.</summary>
internal sealed class ServerRun(ServerSpec server, int pass)
{
    public ServerSpec Server { get; } = server;

    public int Pass { get; } = pass;

    public List<double> StartupMs { get; } = [];

    public WorkerResult? Idle { get; set; }

    public WorkerResult? Warmup { get; set; }

    public Dictionary<(int Connections, int InFlight), WorkerResult> Load { get; } = [];

    public List<string> Failures { get; } = [];
}

/// <summary>One server's broadcast measurement in one pass (null result: it failed).</summary>
internal sealed record BroadcastRun(ServerSpec Server, int Pass, WorkerResult? Result, string? Failure);

/// <summary>
/// The harness: starts each server as a child process pinned to one core, times its startup, checks its
/// protocol, and runs the idle-memory and load scenarios through worker processes pinned to another core;
/// servers in alternating order over the passes; then prints the report.
/// </summary>
internal static class Harness
{
    private const int ServerCore = 0;
    private const int ClientCore = 1;

    public static int Run(HarnessOptions options)
    {
        var total = Stopwatch.StartNew();
        MachineInfo machine = MachineInfo.Read();
        bool pin = options.Pin && machine.Cores >= 2 && TasksetWorks();
        if (pin)
        {
            PinSelf(ClientCore);
        }

        List<ServerSpec> servers = options.OnlyBroadcast ? [] : Servers(options, options.Servers, withAot: true);
        List<ServerSpec> broadcastServers = options.BroadcastConnections > 0 ? Servers(options, ["broadcast", "signalr"], withAot: false) : [];
        if ((!options.OnlyBroadcast && servers.Count == 0) || (options.BroadcastConnections > 0 && broadcastServers.Count == 0))
        {
            return 2;
        }

        var runs = new List<ServerRun>();
        for (int pass = 1; pass <= options.Passes; pass++)
        {
            IEnumerable<ServerSpec> order = pass % 2 == 1 ? servers : Enumerable.Reverse(servers);
            foreach (ServerSpec server in order)
            {
                runs.Add(RunServer(server, pass, options, pin));
            }
        }

        // The broadcast scenario: Gateway's GatewayBroadcast server and the SignalR hub, alternating order, a fresh process each.
        var broadcastRuns = new List<BroadcastRun>();
        for (int pass = 1; pass <= options.Passes && broadcastServers.Count > 0; pass++)
        {
            IEnumerable<ServerSpec> order = pass % 2 == 1 ? broadcastServers : Enumerable.Reverse(broadcastServers);
            foreach (ServerSpec server in order)
            {
                broadcastRuns.Add(RunBroadcast(server, pass, options, pin));
            }
        }

        string report = (options.OnlyBroadcast ? "" : Report.Build(options, machine, pin, servers, runs, total.Elapsed)) +
            (broadcastServers.Count > 0 ? Report.Broadcast(options, machine, pin, broadcastServers, broadcastRuns, total.Elapsed, header: options.OnlyBroadcast) : "");
        Console.Out.WriteLine(report);
        if (options.OutPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.OutPath)!);
            File.WriteAllText(options.OutPath, report);
            Log($"report written to {options.OutPath}");
        }

        long errors = runs.Sum(r => r.Load.Values.Sum(l => l.Errors) + (r.Idle?.Errors ?? 0) + (r.Warmup?.Errors ?? 0));
        errors += broadcastRuns.Sum(r => r.Result?.Errors ?? 0);
        int failures = runs.Sum(r => r.Failures.Count) + broadcastRuns.Count(r => r.Failure is not null);
        Log($"done in {total.Elapsed.TotalSeconds:F0} s: {errors} wrong or missing replies, {failures} server failures");
        return errors == 0 && failures == 0 ? 0 : 1;
    }

    private static ServerRun RunServer(ServerSpec server, int pass, HarnessOptions options, bool pin)
    {
        var run = new ServerRun(server, pass);
        int? serverCore = pin ? ServerCore : null;
        ServerProcess? process = null;
        try
        {
            for (int sample = 0; sample < options.StartupSamples; sample++)
            {
                process?.Dispose();
                int port = ServerProcess.FreePort();
                long started = Stopwatch.GetTimestamp();
                process = ServerProcess.Start(server, port, serverCore);
                TimeSpan startup = process.WaitUntilAnswering(server, started, TimeSpan.FromSeconds(60));
                run.StartupMs.Add(startup.TotalMilliseconds);
            }

            Log($"pass {pass} {server.Name}: started in {string.Join(", ", run.StartupMs.Select(ms => ms.ToString("F0", CultureInfo.InvariantCulture)))} ms (pid {process!.Pid})");
            if (server.Protocol is ServerProtocol.Nest or ServerProtocol.SocketIO)
            {
                ProtocolCheck.Run(process.EndPoint, server);
            }

            if (options.IdleConnections > 0)
            {
                run.Idle = RunWorker(process, server, pin,
                [
                    "--worker", "idle",
                    "--count", Invariant(options.IdleConnections),
                    "--settle", Invariant(options.SettleSeconds),
                ], TimeSpan.FromSeconds(180));
                Log($"pass {pass} {server.Name}: {options.IdleConnections} idle connections opened in {run.Idle.OpenSeconds:F1} s, " +
                    $"RSS {run.Idle.RssBeforeKb / 1024.0:F1} -> {run.Idle.RssAfterKb / 1024.0:F1} MB{Errors(run.Idle)}");
            }

            if (server.LoadScenarios && options.Scenarios.Count > 0)
            {
                (int warmConnections, int warmInFlight) = options.Scenarios.MaxBy(s => s.Connections * s.InFlight);
                run.Warmup = RunWorker(process, server, pin,
                [
                    "--worker", "warm",
                    "--connections", Invariant(warmConnections),
                    "--inflight", Invariant(warmInFlight),
                    "--min", Invariant(options.ServerWarmupSeconds),
                    "--max", Invariant(Math.Max(options.ServerWarmupSeconds, options.ServerWarmupMaxSeconds)),
                ], TimeSpan.FromSeconds(options.ServerWarmupMaxSeconds + 120));
                Log($"pass {pass} {server.Name}: warmed up for {run.Warmup.MeasuredSeconds:F0} s at {warmConnections}x{warmInFlight}, " +
                    $"ending at {run.Warmup.StableRate:F0} rt/s{Errors(run.Warmup)}");

                foreach ((int connections, int inFlight) in options.Scenarios)
                {
                    WorkerResult result = RunWorker(process, server, pin,
                    [
                        "--worker", "load",
                        "--connections", Invariant(connections),
                        "--inflight", Invariant(inFlight),
                        "--warmup", Invariant(options.WarmupSeconds),
                        "--duration", Invariant(options.MeasureLimitSeconds((connections, inFlight))),
                        "--round-trips", Invariant(options.RoundTripsFor((connections, inFlight))),
                    ], TimeSpan.FromSeconds(options.WarmupSeconds + options.MeasureLimitSeconds((connections, inFlight)) + 120));
                    run.Load[(connections, inFlight)] = result;
                    Histogram latency = Histogram.FromSparse(result.Histogram, result.MaxTicks);
                    Log($"pass {pass} {server.Name} {connections}x{inFlight}: {result.RoundTripsPerSecond:F0} rt/s, " +
                        $"p50 {Report.Micros(latency.Quantile(0.5), result.TicksPerSecond):F0} us, " +
                        $"server CPU {result.ServerCpuMicrosPerRoundTrip:F2} us per round trip over {result.RoundTrips:N0}, " +
                        $"server CPU {result.ServerCpu:P0}, load generator CPU {result.ClientCpu:P0}{Errors(result)}");
                }
            }

            if (process.HasExited)
            {
                run.Failures.Add($"{server.Name} exited during the run:\n{process.Output}");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ProtocolException or IOException
            or System.Net.Sockets.SocketException or OperationCanceledException or JsonException or System.ComponentModel.Win32Exception)
        {
            run.Failures.Add($"{server.Name}: {ex.Message}");
            Log($"pass {pass} {server.Name} FAILED: {ex.Message}");
        }
        finally
        {
            process?.Dispose();
        }

        return run;
    }

    private static BroadcastRun RunBroadcast(ServerSpec server, int pass, HarnessOptions options, bool pin)
    {
        ServerProcess? process = null;
        try
        {
            int port = ServerProcess.FreePort();
            long started = Stopwatch.GetTimestamp();
            process = ServerProcess.Start(server, port, pin ? ServerCore : null);
            process.WaitUntilAnswering(server, started, TimeSpan.FromSeconds(60));
            WorkerResult result = RunWorker(process, server, pin,
            [
                "--worker", "broadcast",
                "--count", Invariant(options.BroadcastConnections),
                "--repeats", Invariant(options.Broadcasts),
            ], TimeSpan.FromSeconds(240));
            Log($"pass {pass} {server.Name}: broadcast to {options.BroadcastConnections} connections (opened in {result.OpenSeconds:F1} s): " +
                $"cold {result.ColdBroadcastMs:F1} ms, then {string.Join(", ", result.BroadcastMs.Select(ms => ms.ToString("F1", CultureInfo.InvariantCulture)))} ms{Errors(result)}");
            string? failure = process.HasExited ? $"{server.Name} exited during the broadcast run:\n{process.Output}" : null;
            return new BroadcastRun(server, pass, result, failure);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ProtocolException or IOException
            or System.Net.Sockets.SocketException or OperationCanceledException or JsonException or System.ComponentModel.Win32Exception)
        {
            Log($"pass {pass} {server.Name} broadcast FAILED: {ex.Message}");
            return new BroadcastRun(server, pass, null, $"{server.Name}: {ex.Message}");
        }
        finally
        {
            process?.Dispose();
        }
    }

    private static string Errors(WorkerResult result) =>
        result.Errors == 0 ? "" : $", {result.Errors} ERRORS: {string.Join(" | ", result.ErrorSamples)}";

    /// <summary>Runs this program again as a worker, pinned to the client core, with inline socket completions.</summary>
    private static WorkerResult RunWorker(ServerProcess server, ServerSpec spec, bool pin, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> command = SelfCommand();
        if (pin)
        {
            start.FileName = "taskset";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Invariant(ClientCore));
            command.ForEach(start.ArgumentList.Add);
        }
        else
        {
            start.FileName = command[0];
            command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--protocol");
        start.ArgumentList.Add(ServerProtocols.Name(spec.Protocol));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(Invariant(server.Port));
        start.ArgumentList.Add("--path");
        start.ArgumentList.Add(spec.Path);
        start.ArgumentList.Add("--server-pid");
        start.ArgumentList.Add(Invariant(server.Pid));
        // Must be set at process start: socket completions then run inline on the epoll thread.
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";

        using Process worker = Process.Start(start) ?? throw new InvalidOperationException("could not start the load generator");
        string? resultLine = null;
        var stderr = new StringBuilder();
        worker.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        worker.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(WorkerResult.Marker, StringComparison.Ordinal) == true)
            {
                resultLine = e.Data[WorkerResult.Marker.Length..];
            }
        };
        worker.BeginErrorReadLine();
        worker.BeginOutputReadLine();
        if (!worker.WaitForExit(timeout))
        {
            worker.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the load generator did not finish within {timeout.TotalSeconds} s");
        }

        worker.WaitForExit();
        if (worker.ExitCode != 0 || resultLine is null)
        {
            throw new InvalidOperationException($"the load generator failed (exit code {worker.ExitCode}):\n{stderr}");
        }

        return JsonSerializer.Deserialize(resultLine, WorkerJsonContext.Default.WorkerResult)
            ?? throw new InvalidOperationException("the load generator reported nothing");
    }

    private static List<ServerSpec> Servers(HarnessOptions options, IReadOnlyList<string> keys, bool withAot)
    {
        string listing = Path.Combine(AppContext.BaseDirectory, "servers.txt");
        if (!File.Exists(listing))
        {
            Console.Error.WriteLine($"{listing} is missing: build first (dotnet build -c Release benchmarks/Gateway.LoadTest).");
            return [];
        }

        Dictionary<string, string> programs = File.ReadAllLines(listing)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        string dotnet = DotnetHost();
        var servers = new List<ServerSpec>();
        foreach (string key in keys)
        {
            // listed: the servers.txt entry that runs it (gateway-sio is the Events sample again, over its Socket.IO endpoint).
            (string name, ServerProtocol protocol, string path, string listed) = key switch
            {
                "gateway" => ("Gateway (Events sample)", ServerProtocol.Nest, "/", key),
                "raw" => ("hand-written Kestrel", ServerProtocol.Nest, "/", key),
                "signalr" => ("SignalR hub", ServerProtocol.SignalR, "/hub", key),
                "broadcast" => ("Gateway (GatewayBroadcast)", ServerProtocol.Nest, "/", key),
                "gateway-sio" => ("Gateway over Socket.IO (Events sample)", ServerProtocol.SocketIO, "/socket.io/", "gateway"),
                "node-sio" => ("Node socket.io 4.8", ServerProtocol.SocketIO, "/socket.io/", key),
                _ => ("", ServerProtocol.Nest, "", ""),
            };
            if (name.Length == 0)
            {
                Console.Error.WriteLine($"unknown server {key} (gateway, raw, signalr, gateway-sio, node-sio)");
                return [];
            }

            if (!programs.TryGetValue(listed, out string? program) || !File.Exists(program))
            {
                Console.Error.WriteLine($"the {key} server is not built ({program ?? "not in servers.txt"}): dotnet build -c Release benchmarks/Gateway.LoadTest");
                return [];
            }

            if (key == "node-sio")
            {
                if (NodeServer.Command(key, program) is not { } command)
                {
                    return [];
                }

                servers.Add(new ServerSpec(key, name, command, protocol, path, LoadScenarios: true));
                continue;
            }

            if (!program.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"the {key} server is not a Release build ({program}): dotnet build -c Release benchmarks/Gateway.LoadTest");
                return [];
            }

            servers.Add(new ServerSpec(key, name, [dotnet, program], protocol, path, LoadScenarios: true));
        }

        foreach ((string key, string dll) in withAot ? options.ExtraServers : [])
        {
            if (!File.Exists(dll) || servers.Any(s => s.Key == key) || key is "raw" or "gateway" or "signalr" or "gateway-sio" or "node-sio" or "aot")
            {
                Console.Error.WriteLine($"--server {key}={dll}: the file does not exist or the key is taken");
                return [];
            }

            servers.Add(new ServerSpec(key, $"{key} ({Path.GetFileName(dll)})", [dotnet, dll], ServerProtocol.Nest, "/", LoadScenarios: true));
        }

        if (withAot && options.AotPath is not null)
        {
            if (!File.Exists(options.AotPath))
            {
                Console.Error.WriteLine($"--aot-path {options.AotPath} does not exist (dotnet publish samples/Events -c Release -r linux-x64 -o <dir>).");
                return [];
            }

            servers.Add(new ServerSpec("aot", "Gateway, Native AOT", [options.AotPath], ServerProtocol.Nest, "/", LoadScenarios: false));
        }

        return servers;
    }

    /// <summary>The command that runs this program: its apphost, or the dotnet host and its dll.</summary>
    private static List<string> SelfCommand()
    {
        string? self = Environment.ProcessPath;
        if (self is not null && !Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return [self];
        }

        return [DotnetHost(), Path.Combine(AppContext.BaseDirectory, "Gateway.LoadTest.dll")];
    }

    private static string DotnetHost()
    {
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        // The shared runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/.
        string root = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static bool TasksetWorks()
    {
        try
        {
            using Process taskset = Process.Start(new ProcessStartInfo("taskset", ["-c", Invariant(ClientCore), "true"]) { UseShellExecute = false })!;
            taskset.WaitForExit();
            return taskset.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Log("taskset is not available: servers and load generator are not pinned");
            return false;
        }
    }

    /// <summary>Pins every thread of this process to <paramref name="core"/> (threads started later inherit it).</summary>
    private static void PinSelf(int core)
    {
        try
        {
            using Process taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", Invariant(core), Invariant(Environment.ProcessId)])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            taskset.StandardOutput.ReadToEnd();
            taskset.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Log($"taskset failed ({ex.Message}): the harness itself is not pinned");
        }
    }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
