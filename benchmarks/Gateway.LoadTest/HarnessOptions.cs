using System.Globalization;

namespace Gateway.LoadTest;

/// <summary>The harness's command line.</summary>
internal sealed class HarnessOptions
{
    public const string Usage = """
        Gateway end-to-end load harness. Build Release first, then:
          dotnet run -c Release --project benchmarks/Gateway.LoadTest -- [options]

          --smoke                 a few seconds, tiny counts, every server once; exit code 1 on any wrong reply
          --round-trips <n>       each load scenario is measured over a fixed count of round trips, so that the servers'
                                  CPU seconds compare directly (default by requests in flight: 1 -> 100,000,
                                  up to 1023 -> 250,000, 1024 and more -> 1,500,000); 0: timed windows (smoke: 0)
          --duration <s>          measured seconds per load scenario with --round-trips 0, else the longest a count
                                  may take (4, so 12 s for a count; smoke 0.5)
          --warmup <s>            warm-up seconds before each measurement (0.5; smoke 0.2)
          --server-warmup <s>     before the scenarios, each server process runs the largest scenario for at least
                                  this long and until its rate is stable, so that its JIT has tiered up (15; smoke 1)
          --server-warmup-max <s> ... and at most this long (25; smoke 1)
          --scenarios <list>      connections x in-flight, e.g. 1x1,64x1,64x16 (smoke 1x1,4x4)
          --idle <n>              idle connections for the memory scenario, 0 to skip (5000; smoke 50)
          --settle <s>            pause before reading the RSS with the idle connections open (2; smoke 0.25)
          --startup-samples <n>   server starts timed per pass (3; smoke 1)
          --passes <n>            passes over the servers, alternating order A B C, C B A, ... (2; smoke 1)
          --servers <list>        gateway,raw,signalr,gateway-sio,node-sio (all): gateway-sio is the Events sample over
                                  Socket.IO (/socket.io/, WebSocket transport), node-sio the npm socket.io 4.8 server in
                                  benchmarks/Servers/NodeSocketIO (needs Node; the harness runs npm ci there if needed)
          --broadcast <n>         connections for the broadcast scenario, 0 to skip (5000; smoke 50)
          --broadcasts <k>        measured broadcasts per server and pass, after one cold one (5; smoke 2)
          --only broadcast        run only the broadcast scenario (Gateway's GatewayBroadcast server and SignalR)
          --aot-path <file>       the Native AOT Events binary: also measures its startup and idle memory
          --out <file>            also write the Markdown report there
          --no-pin                do not pin the server and the load generator to different cores
          --server <key>=<dll>    also measure another build of a Nest-protocol server (e.g. the Events sample built
                                  from another commit), reported beside the others under <key>; may repeat
          --outside               the outside harness's conditions: servers gateway,raw, scenarios 64x16 then 1x1
                                  (64x16 measured first, right after the warm-up), a fixed 22 s server warm-up, no
                                  idle or broadcast scenario, 3 passes (about 3 min); later options override these
        """;

    public bool Smoke { get; private set; }

    public double DurationSeconds { get; private set; } = 4;

    public double WarmupSeconds { get; private set; } = 0.5;

    public double ServerWarmupSeconds { get; private set; } = 15;

    public double ServerWarmupMaxSeconds { get; private set; } = 25;

    public IReadOnlyList<(int Connections, int InFlight)> Scenarios { get; private set; } = [(1, 1), (64, 1), (64, 16)];

    public int IdleConnections { get; private set; } = 5000;

    public double SettleSeconds { get; private set; } = 2;

    public int StartupSamples { get; private set; } = 3;

    public int Passes { get; private set; } = 2;

    public IReadOnlyList<string> Servers { get; private set; } = ["gateway", "raw", "signalr", "gateway-sio", "node-sio"];

    public int BroadcastConnections { get; private set; } = 5000;

    public int Broadcasts { get; private set; } = 5;

    public bool OnlyBroadcast { get; private set; }

    public string? AotPath { get; private set; }

    public string? OutPath { get; private set; }

    public bool Pin { get; private set; } = true;

    /// <summary>Round trips per measured scenario (null: by requests in flight, see <see cref="RoundTripsFor"/>; 0: timed).</summary>
    public long? RoundTrips { get; private set; }

    /// <summary>Extra Nest-protocol servers from the command line: key and dll.</summary>
    public List<(string Key, string Dll)> ExtraServers { get; } = [];

    /// <summary>The round trips a scenario is measured over (0: a timed window of <see cref="DurationSeconds"/>).</summary>
    public long RoundTripsFor((int Connections, int InFlight) scenario)
    {
        if (RoundTrips is long fixedCount)
        {
            return fixedCount;
        }

        int slots = scenario.Connections * scenario.InFlight;
        return Smoke ? 0 : slots <= 1 ? 100_000 : slots < 1024 ? 250_000 : 1_500_000;
    }

    /// <summary>How long one measured scenario may take: its duration, or three times that for a count.</summary>
    public double MeasureLimitSeconds((int Connections, int InFlight) scenario) =>
        RoundTripsFor(scenario) > 0 ? DurationSeconds * 3 : DurationSeconds;

    public string CommandLine { get; private set; } = "";

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        if (args.Contains("--smoke"))
        {
            options.Smoke = true;
            // Short enough that five servers and the broadcast scenario take about 30 s (CI runs it on every change).
            options.DurationSeconds = 0.5;
            options.WarmupSeconds = 0.2;
            options.ServerWarmupSeconds = 1;
            options.ServerWarmupMaxSeconds = 1;
            options.Scenarios = [(1, 1), (4, 4)];
            options.IdleConnections = 50;
            options.SettleSeconds = 0.25;
            options.StartupSamples = 1;
            options.Passes = 1;
            options.BroadcastConnections = 50;
            options.Broadcasts = 2;
        }

        if (args.Contains("--outside"))
        {
            options.Servers = ["gateway", "raw"];
            options.Scenarios = [(64, 16), (1, 1)];
            options.ServerWarmupSeconds = 22;
            options.ServerWarmupMaxSeconds = 22;
            options.IdleConnections = 0;
            options.BroadcastConnections = 0;
            options.StartupSamples = 1;
            options.Passes = 3;
        }

        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--smoke" or "--outside":
                    break;
                case "--round-trips":
                    options.RoundTrips = (long)Number(Value());
                    break;
                case "--server":
                    string[] pair = Value().Split('=', 2);
                    options.ExtraServers.Add(pair.Length == 2 && pair[0].Length > 0
                        ? (pair[0], Path.GetFullPath(pair[1]))
                        : throw new ArgumentException("--server takes <key>=<dll>"));
                    break;
                case "--duration":
                    options.DurationSeconds = Number(Value());
                    break;
                case "--warmup":
                    options.WarmupSeconds = Number(Value());
                    break;
                case "--server-warmup":
                    options.ServerWarmupSeconds = Number(Value());
                    options.ServerWarmupMaxSeconds = Math.Max(options.ServerWarmupMaxSeconds, options.ServerWarmupSeconds);
                    break;
                case "--server-warmup-max":
                    options.ServerWarmupMaxSeconds = Number(Value());
                    break;
                case "--scenarios":
                    options.Scenarios = Value().Split(',').Select(ParseScenario).ToList();
                    break;
                case "--idle":
                    options.IdleConnections = (int)Number(Value());
                    break;
                case "--settle":
                    options.SettleSeconds = Number(Value());
                    break;
                case "--startup-samples":
                    options.StartupSamples = Math.Max(1, (int)Number(Value()));
                    break;
                case "--passes":
                    options.Passes = Math.Max(1, (int)Number(Value()));
                    break;
                case "--servers":
                    options.Servers = Value().Split(',').Select(s => s.Trim().ToLowerInvariant()).ToList();
                    break;
                case "--broadcast":
                    options.BroadcastConnections = (int)Number(Value());
                    break;
                case "--broadcasts":
                    options.Broadcasts = Math.Max(1, (int)Number(Value()));
                    break;
                case "--only":
                    options.OnlyBroadcast = Value() == "broadcast" ? true : throw new ArgumentException("--only takes broadcast");
                    break;
                case "--aot-path":
                    options.AotPath = Path.GetFullPath(Value());
                    break;
                case "--out":
                    options.OutPath = Path.GetFullPath(Value());
                    break;
                case "--no-pin":
                    options.Pin = false;
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        options.CommandLine = "dotnet run -c Release --project benchmarks/Gateway.LoadTest" +
            (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
        return options;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static (int, int) ParseScenario(string text)
    {
        string[] parts = text.Trim().ToLowerInvariant().Split('x');
        return parts.Length == 2
            ? ((int)Number(parts[0]), (int)Number(parts[1]))
            : throw new ArgumentException($"a scenario is connections x in-flight, like 64x16: {text}");
    }
}
