using System.Globalization;
using Gateway.ScaleOut;

// Scale-out benchmark (benchmarks/README.md, "Scale out"): broadcast latency to N connections and room-message
// throughput, Gateway on 1 node vs 3 nodes behind Redis vs SignalR likewise. Everything runs in this process.
//   dotnet run -c Release --project benchmarks/Gateway.ScaleOut -- --redis 127.0.0.1:6379 [--connections 5000]
string redis = Arg("--redis") ?? throw new ArgumentException("--redis host:port is required");
int connections = int.Parse(Arg("--connections") ?? "5000", CultureInfo.InvariantCulture);
int broadcasts = int.Parse(Arg("--broadcasts") ?? "10", CultureInfo.InvariantCulture);
int rooms = int.Parse(Arg("--rooms") ?? "100", CultureInfo.InvariantCulture);
int roomMessages = int.Parse(Arg("--room-messages") ?? "2000", CultureInfo.InvariantCulture);
string only = Arg("--only") ?? "";

Console.WriteLine($"{connections} connections, {broadcasts} broadcasts, {rooms} rooms x {connections / rooms} members, {roomMessages} room messages; Redis {redis}; {Environment.ProcessorCount} cores");
Console.WriteLine("| server | nodes | broadcast: last client has it, median ms | max ms | room messages/s | deliveries/s |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach ((string name, bool signalR, int nodes) in new[] { ("Gateway", false, 1), ("Gateway + Redis", false, 3), ("SignalR", true, 1), ("SignalR + Redis", true, 3) })
{
    if (only.Length > 0 && !name.StartsWith(only, StringComparison.OrdinalIgnoreCase))
    {
        continue;
    }

    await using var cluster = await Cluster.StartAsync(signalR, nodes, redis);
    await cluster.ConnectAsync(connections);
    await cluster.BroadcastAsync(-1); // warm-up
    var times = new List<double>();
    for (int i = 0; i < broadcasts; i++)
    {
        times.Add(await cluster.BroadcastAsync(i));
    }

    times.Sort();
    await cluster.JoinRoomsAsync(rooms);
    (double seconds, long deliveries) = await cluster.RoomMessagesAsync(rooms, roomMessages);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {nodes} | {times[times.Count / 2]:F1} | {times[^1]:F1} | {roomMessages / seconds:F0} | {deliveries / seconds:F0} |"));
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

