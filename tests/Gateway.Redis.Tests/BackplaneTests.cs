using System.Text.Json;
using Gateway.Redis.Tests.Infrastructure;

namespace Gateway.Redis.Tests;

/// <summary>
/// Every addressing mode reaches the clients of all three nodes exactly once, and presence answers for the whole
/// cluster. Runs against embedded Garnet by default and against the server in GATEWAY_TEST_REDIS when it is set.
/// </summary>
public sealed class BackplaneTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private const string Fin = """{"event":"fin"}""";
    private const string End = """{"event":"end"}""";

    // clients[node][i]: i = 0 user "u{node}", i = 1 user "shared", i = 2 no user.
    private readonly ClusterClient[][] _clients = new ClusterClient[3][];
    private readonly string _room = Guid.NewGuid().ToString("N")[..8];

    private ClusterNode[] Nodes => cluster.Nodes;

    private IEnumerable<ClusterClient> AllClients => _clients.SelectMany(static c => c);

    public async Task InitializeAsync()
    {
        for (int node = 0; node < 3; node++)
        {
            _clients[node] =
            [
                await Nodes[node].ConnectAsync($"u{node}-{_room}"),
                await Nodes[node].ConnectAsync($"shared-{_room}"),
                await Nodes[node].ConnectAsync(),
            ];
        }
    }

    public async Task DisposeAsync()
    {
        foreach (ClusterClient client in AllClients)
        {
            await client.DisposeAsync();
        }
    }

    private string Room(string name) => $"{name}-{_room}";

    private static async Task JoinAsync(ClusterClient client, string room)
    {
        await client.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = room }));
        Assert.Equal("true", await client.ReceiveAsync());
    }

    private async Task SettledAsync()
    {
        foreach (ClusterNode node in Nodes)
        {
            await node.SettledAsync();
        }
    }

    /// <summary>
    /// Sends "m" then "end" to the target, then "fin" to everyone: each expected client must read exactly m, end, fin;
    /// every other client exactly fin. A duplicate or a stray frame shows up where fin was expected.
    /// </summary>
    private async Task AssertDeliveredAsync(string scenario, Func<GatewayTarget> target, params ClusterClient[] expected)
    {
        target().Send("m", scenario, ClusterJsonContext.Default.String);
        target().Send("end");
        string m = JsonSerializer.Serialize(new { @event = "m", data = scenario });
        foreach (ClusterClient client in expected)
        {
            Assert.Equal(m, await client.ReceiveAsync());
            Assert.Equal(End, await client.ReceiveAsync());
        }

        Nodes[2].Server.All.Send("fin");
        foreach (ClusterClient client in AllClients)
        {
            string next = await client.ReceiveAsync();
            Assert.True(next == Fin, $"{scenario}: client {Array.FindIndex(_clients, c => c.Contains(client))}/{client.Id} got {next} where fin was expected.");
        }
    }

    [Fact]
    public async Task Every_addressing_mode_reaches_every_node_exactly_once()
    {
        ClusterClient[][] c = _clients;
        await JoinAsync(c[0][0], Room("a"));
        await JoinAsync(c[1][0], Room("a"));
        await JoinAsync(c[1][0], Room("b"));
        await JoinAsync(c[1][1], Room("b"));
        await JoinAsync(c[2][1], Room("b"));
        await SettledAsync();

        IGatewayServer<ClusterGateway> s0 = Nodes[0].Server, s1 = Nodes[1].Server;

        await AssertDeliveredAsync("all", () => s0.All, [.. AllClients]);
        await AssertDeliveredAsync("all-except", () => s1.AllExcept(c[1][0].Id, c[2][2].Id),
            [.. AllClients.Where(x => x != c[1][0] && x != c[2][2])]);
        await AssertDeliveredAsync("client", () => s0.Client(c[2][1].Id), c[2][1]);
        await AssertDeliveredAsync("clients", () => s1.Clients(c[0][1].Id, c[1][2].Id, c[2][0].Id), c[0][1], c[1][2], c[2][0]);
        await AssertDeliveredAsync("room", () => s0.Room(Room("a")), c[0][0], c[1][0]);
        // c[1][0] is in both rooms and gets it once; the duplicate room name changes nothing.
        await AssertDeliveredAsync("rooms", () => s0.Rooms(Room("a"), Room("b"), Room("a")), c[0][0], c[1][0], c[1][1], c[2][1]);
        await AssertDeliveredAsync("rooms-other-order", () => s1.Rooms(Room("b"), Room("a")), c[1][0], c[1][1], c[2][1], c[0][0]);
        await AssertDeliveredAsync("user", () => s0.User($"u2-{_room}"), c[2][0]);
        await AssertDeliveredAsync("users", () => s1.Users($"shared-{_room}", $"u1-{_room}"), c[0][1], c[1][1], c[2][1], c[1][0]);
        await AssertDeliveredAsync("empty-room", () => s0.Room(Room("nobody")));
        // Except leaves connections out on every node: a local one (the sender's usual case) and a remote one.
        await AssertDeliveredAsync("room-except-local", () => s1.Rooms(Room("a"), Room("b")).Except(c[1][0].Id), c[0][0], c[1][1], c[2][1]);
        await AssertDeliveredAsync("room-except-remote", () => s0.Room(Room("b")).Except(c[2][1].Id, c[1][1].Id), c[1][0]);
        await AssertDeliveredAsync("all-except-twice", () => Nodes[2].Server.All.Except(c[0][0].Id).Except(c[1][2].Id),
            [.. AllClients.Where(x => x != c[0][0] && x != c[1][2])]);
        await AssertDeliveredAsync("user-except", () => s0.Users($"shared-{_room}").Except(c[1][1].Id), c[0][1], c[2][1]);
    }

    [Fact]
    public async Task Typed_contracts_reach_every_node()
    {
        ClusterClient[][] c = _clients;
        await JoinAsync(c[0][2], Room("t"));
        await JoinAsync(c[2][2], Room("t"));
        await SettledAsync();

        await Nodes[1].Server.Room(Room("t")).As<IClusterEvents>().Notice(new Notice("hello"));
        foreach (ClusterClient client in new[] { c[0][2], c[2][2] })
        {
            using JsonDocument frame = JsonDocument.Parse(await client.ReceiveAsync());
            Assert.Equal("hello", frame.RootElement.GetProperty("data").GetProperty("Text").GetString());
        }

        Nodes[1].Server.All.Send("fin");
        foreach (ClusterClient client in AllClients)
        {
            Assert.Equal(Fin, await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task A_node_without_members_of_a_room_receives_none_of_its_traffic()
    {
        ClusterClient[][] c = _clients;
        await JoinAsync(c[0][0], Room("busy"));
        await JoinAsync(c[1][0], Room("busy"));
        await SettledAsync();
        long before1 = Nodes[1].Backplane.Metrics.ReceivedCount;
        long before2 = Nodes[2].Backplane.Metrics.ReceivedCount;

        const int count = 200;
        for (int i = 0; i < count; i++)
        {
            Nodes[0].Server.Room(Room("busy")).Send("m", i.ToString(System.Globalization.CultureInfo.InvariantCulture), ClusterJsonContext.Default.String);
        }

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(JsonSerializer.Serialize(new { @event = "m", data = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }), await c[1][0].ReceiveAsync());
            await c[0][0].ReceiveAsync();
        }

        Nodes[0].Server.All.Send("fin");
        foreach (ClusterClient client in AllClients)
        {
            Assert.Equal(Fin, await client.ReceiveAsync());
        }

        // Node 1 took every room message and the broadcast; node 2, with no member, only the broadcast.
        Assert.Equal(count + 1, Nodes[1].Backplane.Metrics.ReceivedCount - before1);
        Assert.Equal(1, Nodes[2].Backplane.Metrics.ReceivedCount - before2);
    }

    [Fact]
    public async Task Presence_lists_rooms_members_and_user_connections_across_nodes()
    {
        ClusterClient[][] c = _clients;
        await JoinAsync(c[0][0], Room("p"));
        await JoinAsync(c[1][1], Room("p"));
        await JoinAsync(c[1][1], Room("q"));
        await JoinAsync(c[2][2], Room("p"));

        IGatewayPresence<ClusterGateway> presence = Nodes[2].Presence;
        string[] members = [.. new[] { c[0][0].Id, c[1][1].Id, c[2][2].Id }.Order(StringComparer.Ordinal)];
        await Eventually.TrueAsync(async () => (await presence.GetRoomMembersAsync(Room("p"))).SequenceEqual(members), "room p lists its three members");
        Assert.Equal([Room("p"), Room("q")], [.. (await Nodes[0].Presence.GetRoomsAsync(c[1][1].Id)).Order(StringComparer.Ordinal)]);
        Assert.Empty(await Nodes[0].Presence.GetRoomsAsync(c[0][1].Id));
        string[] shared = [.. new[] { c[0][1].Id, c[1][1].Id, c[2][1].Id }.Order(StringComparer.Ordinal)];
        Assert.Equal(shared, await Nodes[1].Presence.GetUserConnectionsAsync($"shared-{_room}"));
        Assert.Equal([c[2][0].Id], await Nodes[0].Presence.GetUserConnectionsAsync($"u2-{_room}"));

        // A leave on one node and a disconnect on another show on the third.
        Assert.True(Nodes[1].Server.Leave(c[1][1].Id, Room("p")));
        await c[2][2].DisposeAsync();
        string[] remaining = [c[0][0].Id];
        await Eventually.TrueAsync(async () => (await Nodes[0].Presence.GetRoomMembersAsync(Room("p"))).SequenceEqual(remaining), "the leave and the disconnect show");
        Assert.Equal([Room("q")], await Nodes[2].Presence.GetRoomsAsync(c[1][1].Id));
        Assert.Empty(await Nodes[1].Presence.GetRoomsAsync(c[2][2].Id));
        _clients[2][2] = await Nodes[2].ConnectAsync();
    }

    [Fact]
    public async Task A_foreign_payload_on_a_channel_is_counted_and_ignored()
    {
        await SettledAsync();
        long[] before = [.. Nodes.Select(n => n.Backplane.Metrics.DroppedCount)];
        StackExchange.Redis.ISubscriber subscriber = Nodes[0].Backplane.Redis!.GetSubscriber();
        await subscriber.PublishAsync(Nodes[0].Backplane.Keys.AllChannel(ClusterGateway.Path), new byte[] { 1, 2, 3 });
        await subscriber.PublishAsync(Nodes[0].Backplane.Keys.AllChannel(ClusterGateway.Path), "{\"event\":\"forged\"}");
        await Eventually.TrueAsync(() => Nodes.Select((n, i) => n.Backplane.Metrics.DroppedCount - before[i]).All(d => d == 2), "every node drops both payloads");

        Nodes[1].Server.All.Send("fin");
        foreach (ClusterClient client in AllClients)
        {
            Assert.Equal(Fin, await client.ReceiveAsync());
        }
    }
}
