namespace Gateway.LoadTest;

/// <summary>The report's Socket.IO section: the Socket.IO rows against Gateway's NestJS ws row and the npm socket.io server.</summary>
internal static partial class Report
{
    private const string NestGateway = "gateway";
    private const string NodeSocketIO = "node-sio";

    /// <summary>
    /// Gateway over Socket.IO has two references, neither of them the hand-written Nest server: the same gateway over
    /// its NestJS ws endpoint (what the second protocol costs) and the npm server NestJS's default adapter runs on.
    /// </summary>
    private static void AppendSocketIO(System.Text.StringBuilder md, HarnessOptions options, IReadOnlyList<ServerSpec> servers, IReadOnlyList<ServerRun> runs)
    {
        List<ServerSpec> rows = servers.Where(s => s.Key == NestGateway || s.Protocol == ServerProtocol.SocketIO).ToList();
        if (!rows.Any(s => s.Protocol == ServerProtocol.SocketIO))
        {
            return;
        }

        Line(md, "Socket.IO (WebSocket transport, default namespace; each request `42<id>[\"identity\",n]`, its reply the ack " +
            "`43<id>[n]`, matched by ack id), against Gateway over the NestJS ws protocol and the npm socket.io server of this run:");
        Line(md);
        List<ServerSpec> loadRows = rows.Where(s => s.LoadScenarios).ToList();
        if (loadRows.Count > 0 && options.Scenarios.Count > 0)
        {
            Line(md, "| scenario | server | server CPU µs per round trip | × Gateway (Nest ws) | × Node socket.io | round trips/s | × Gateway (Nest ws) | × Node socket.io | p50 µs | × Gateway (Nest ws) | × Node socket.io |");
            Line(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach ((int connections, int inFlight) scenario in options.Scenarios)
            {
                LoadSummary? nest = LoadSummary.Of(runs, NestGateway, scenario);
                LoadSummary? node = LoadSummary.Of(runs, NodeSocketIO, scenario);
                foreach (ServerSpec server in loadRows)
                {
                    if (LoadSummary.Of(runs, server.Key, scenario) is not { } s)
                    {
                        Line(md, $"| {scenario.connections}×{scenario.inFlight} | {server.Name} | failed | | | | | | | | |");
                        continue;
                    }

                    Line(md, $"| {scenario.connections}×{scenario.inFlight} | {server.Name} | {Micros2(s.CpuUs)} | {Ratio(s.CpuUs, nest?.CpuUs)} | {Ratio(s.CpuUs, node?.CpuUs)} " +
                        $"| {Thousands(s.RoundTripsPerSecond)} | {Ratio(s.RoundTripsPerSecond, nest?.RoundTripsPerSecond)} | {Ratio(s.RoundTripsPerSecond, node?.RoundTripsPerSecond)} " +
                        $"| {s.P50Us:F0} | {Ratio(s.P50Us, nest?.P50Us)} | {Ratio(s.P50Us, node?.P50Us)} |");
                }
            }

            Line(md);
        }

        StartupSummary? nestStart = StartupSummary.Of(runs, NestGateway);
        StartupSummary? nodeStart = StartupSummary.Of(runs, NodeSocketIO);
        Line(md, "| server | startup ms | × Gateway (Nest ws) | × Node socket.io | KB per idle connection | × Gateway (Nest ws) | × Node socket.io |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|");
        foreach (ServerSpec server in rows)
        {
            if (StartupSummary.Of(runs, server.Key) is not { } s)
            {
                Line(md, $"| {server.Name} | failed | | | | | |");
                continue;
            }

            string idle = s.KbPerConnection is double kb
                ? $"{kb:F1} | {Ratio(kb, nestStart?.KbPerConnection)} | {Ratio(kb, nodeStart?.KbPerConnection)}"
                : "– | – | –";
            Line(md, $"| {server.Name} | {s.MedianMs:F0} | {Ratio(s.MedianMs, nestStart?.MedianMs)} | {Ratio(s.MedianMs, nodeStart?.MedianMs)} | {idle} |");
        }

        Line(md);
    }
}
