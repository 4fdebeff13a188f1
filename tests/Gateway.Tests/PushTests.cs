using System.Globalization;
using System.Security.Claims;
using Gateway.Infrastructure;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>Server push: every addressing mode, rooms, the server handle from outside handlers, slow consumers.</summary>
public sealed class PushTests
{
    private static Task<GatewayServer> StartAsync(Action<GatewayOptions>? configure = null) => GatewayServer.StartAsync(
        g => g.AddGateway<ChatGateway>(),
        configure,
        configureApp: app =>
        {
            // Tests name their user in the query string; the default user id mapping reads NameIdentifier.
            app.Use((context, next) =>
            {
                if (context.Request.Query["user"] is [{ } user])
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "test"));
                }

                return next(context);
            });
            app.MapPost("/notify/{room}", (string room, IGatewayServer<ChatGateway> chat) =>
                chat.Room(room).Send("notice", room, GatewayJsonContext.Default.String));
        });

    private static async Task<ChatClient> ConnectAsync(GatewayServer server, string? user = null)
    {
        TestClient client = await server.ConnectAsync(user is null ? "/chat" : $"/chat?user={user}");
        await client.SendAsync("""{"event":"whoami"}""");
        string id = (await client.ReceiveAsync()).Trim('"');
        return new ChatClient(client, id);
    }

    [Fact]
    public async Task Room_messages_reach_only_the_rooms_members()
    {
        await using GatewayServer server = await StartAsync();
        using ChatClient a = await ConnectAsync(server);
        using ChatClient b = await ConnectAsync(server);
        using ChatClient c = await ConnectAsync(server);
        await a.RequestAsync("""{"event":"join","data":"red"}""", "true");
        await b.RequestAsync("""{"event":"join","data":"red"}""", "true");
        await c.RequestAsync("""{"event":"join","data":"blue"}""", "true");

        await a.Client.SendAsync("""{"event":"say","data":{"room":"red","text":"hi"}}""");

        const string Message = """{"event":"message","data":{"room":"red","text":"hi"}}""";
        Assert.Equal(Message, await a.Client.ReceiveAsync());
        Assert.Equal("2", await a.Client.ReceiveAsync());
        Assert.Equal(Message, await b.Client.ReceiveAsync());
        await c.AssertNothingPendingAsync();
        await b.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Every_addressing_mode_reaches_exactly_its_connections()
    {
        await using GatewayServer server = await StartAsync();
        using ChatClient a = await ConnectAsync(server, "ann");
        using ChatClient a2 = await ConnectAsync(server, "ann");
        using ChatClient b = await ConnectAsync(server, "bob");
        using ChatClient c = await ConnectAsync(server);
        ChatClient[] everyone = [a, a2, b, c];
        await a.RequestAsync("""{"event":"join","data":"red"}""", "true");
        await b.RequestAsync("""{"event":"join","data":"red"}""", "true");
        await b.RequestAsync("""{"event":"join","data":"blue"}""", "true");
        await c.RequestAsync("""{"event":"join","data":"blue"}""", "true");
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();

        await AssertReachesAsync(chat.All, everyone, everyone);
        await AssertReachesAsync(chat.AllExcept(a.Id, c.Id), everyone, [a2, b]);
        await AssertReachesAsync(chat.Client(b.Id), everyone, [b]);
        await AssertReachesAsync(chat.Client("no-such-connection"), everyone, []);
        await AssertReachesAsync(chat.Clients(a2.Id, c.Id, c.Id), everyone, [a2, c]);
        await AssertReachesAsync(chat.Room("red"), everyone, [a, b]);
        await AssertReachesAsync(chat.Rooms("red", "blue"), everyone, [a, b, c]);
        await AssertReachesAsync(chat.Room("empty"), everyone, []);
        await AssertReachesAsync(chat.User("ann"), everyone, [a, a2]);
        await AssertReachesAsync(chat.Users("ann", "bob"), everyone, [a, a2, b]);
    }

    private static async Task AssertReachesAsync(GatewayTarget target, ChatClient[] everyone, ChatClient[] expected)
    {
        string payload = Guid.NewGuid().ToString("N");
        Assert.Equal(expected.Length, await target.SendAsync("push", payload));
        foreach (ChatClient client in everyone)
        {
            if (expected.Contains(client))
            {
                Assert.Equal($$"""{"event":"push","data":"{{payload}}"}""", await client.Client.ReceiveAsync());
            }

            await client.AssertNothingPendingAsync();
        }
    }

    [Fact]
    public async Task Typed_client_events_send_their_frames_to_targets_and_single_clients()
    {
        await using GatewayServer server = await StartAsync();
        using ChatClient a = await ConnectAsync(server);
        using ChatClient b = await ConnectAsync(server);
        await a.RequestAsync("""{"event":"join","data":"red"}""", "true");

        await b.Client.SendAsync("""{"event":"typedJoin","data":"red"}""");
        string joined = $$"""{"event":"user-joined","data":"{{b.Id}}"}""";
        Assert.Equal(joined, await a.Client.ReceiveAsync());
        Assert.Equal(joined, await b.Client.ReceiveAsync());
        Assert.Equal("""{"event":"ping"}""", await b.Client.ReceiveAsync());

        await a.Client.SendAsync("""{"event":"typedSay","data":{"room":"red","text":"typed"}}""");
        const string Message = """{"event":"message","data":{"room":"red","text":"typed"}}""";
        Assert.Equal(Message, await a.Client.ReceiveAsync());
        Assert.Equal(Message, await b.Client.ReceiveAsync());
        await a.AssertNothingPendingAsync();
        await b.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Handlers_push_to_everyone_but_the_sender_and_endpoints_push_from_outside()
    {
        await using GatewayServer server = await StartAsync();
        using ChatClient a = await ConnectAsync(server);
        using ChatClient b = await ConnectAsync(server);
        await b.RequestAsync("""{"event":"join","data":"news"}""", "true");

        await a.RequestAsync("""{"event":"shout","data":"hey"}""", "1");
        Assert.Equal("""{"event":"shout","data":"hey"}""", await b.Client.ReceiveAsync());

        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsync(
            new UriBuilder(server.BaseUri) { Scheme = "http", Path = "/notify/news" }.Uri, null);
        Assert.Equal("1", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"event":"notice","data":"news"}""", await b.Client.ReceiveAsync());
        await a.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Rooms_can_be_listed_and_a_closed_connection_leaves_every_room()
    {
        await using GatewayServer server = await StartAsync();
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        using ChatClient a = await ConnectAsync(server);
        using ChatClient b = await ConnectAsync(server);
        await a.RequestAsync("""{"event":"join","data":"r1"}""", "true");
        await a.RequestAsync("""{"event":"join","data":"r1"}""", "false");
        await a.RequestAsync("""{"event":"join","data":"r2"}""", "true");
        Assert.True(chat.Join(b.Id, "r1"));

        await a.RequestAsync("""{"event":"myRooms"}""", """["r1","r2"]""");
        await a.RequestAsync("""{"event":"rooms"}""", """["r1","r2"]""");
        string[] r1 = [a.Id, b.Id];
        Array.Sort(r1, StringComparer.Ordinal);
        await a.RequestAsync("""{"event":"members","data":"r1"}""", $"[\"{r1[0]}\",\"{r1[1]}\"]");
        Assert.Equal(2, chat.CountRoomMembers("r1"));
        Assert.Equal(2, chat.ConnectionCount);

        await a.Client.CloseAsync();
        await Eventually.HoldsAsync(() => chat.ConnectionCount == 1);

        Assert.Equal(["r1"], chat.ListRooms());
        Assert.Equal([b.Id], chat.GetRoomMembers("r1").Select(c => c.Id));
        Assert.Null(chat.GetClient(a.Id));
        Assert.False(chat.Join(a.Id, "r3"));
        Assert.Equal($$"""{"event":"left","data":"{{a.Id}}"}""", await b.Client.ReceiveAsync());
        await b.RequestAsync("""{"event":"leave","data":"r1"}""", "true");
        Assert.Empty(chat.ListRooms());
    }

    [Fact]
    public async Task The_disconnect_hook_sees_the_rooms_of_the_closed_connection()
    {
        await using GatewayServer server = await StartAsync();
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        using ChatClient a = await ConnectAsync(server);
        using ChatClient b = await ConnectAsync(server);
        using ChatClient c = await ConnectAsync(server);
        await a.RequestAsync("""{"event":"join","data":"red"}""", "true");
        await b.RequestAsync("""{"event":"join","data":"red"}""", "true");
        await c.RequestAsync("""{"event":"join","data":"blue"}""", "true");

        await a.Client.CloseAsync();

        Assert.Equal($$"""{"event":"left","data":"{{a.Id}}"}""", await b.Client.ReceiveAsync());
        await Eventually.HoldsAsync(() => chat.ConnectionCount == 2);
        Assert.Equal([b.Id], chat.GetRoomMembers("red").Select(m => m.Id));
        await c.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_thousand_clients_receive_one_broadcast_exactly_once()
    {
        await using GatewayServer server = await StartAsync();
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        var clients = new List<ChatClient>();
        try
        {
            for (int batch = 0; batch < 10; batch++)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => ConnectAsync(server))));
            }

            Assert.Equal(1000, chat.All.Send("news", 42));

            await Task.WhenAll(clients.Select(async client =>
            {
                Assert.Equal("""{"event":"news","data":42}""", await client.Client.ReceiveAsync());
                await client.AssertNothingPendingAsync();
            }));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_slow_consumer_is_closed_at_its_bound_while_a_canary_keeps_round_tripping()
    {
        const int Limit = 64 * 1024;
        await using GatewayServer server = await StartAsync(o =>
        {
            o.MaxQueuedBytesPerConnection = Limit;
            o.CloseTimeout = TimeSpan.FromSeconds(1);
        });
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        using ChatClient slow = await ConnectAsync(server);
        using ChatClient canary = await ConnectAsync(server);
        string filler = new('x', 1000);
        GatewayClient slowOnServer = chat.GetClient(slow.Id)!;
        long maxQueued = 0;

        // The slow client never reads again; the canary reads everything and round-trips between bursts, so its own
        // queue never holds more than one burst (20 KB, under the limit). A broadcast that reaches only the canary
        // means the slow client was cut off.
        bool cutOff = false;
        for (int burst = 0; burst < 2000 && !cutOff; burst++)
        {
            for (int i = 0; i < 20; i++)
            {
                cutOff |= chat.All.Send("fill", filler, GatewayJsonContext.Default.String) == 1;
                maxQueued = Math.Max(maxQueued, slowOnServer.QueuedBytes);
            }

            for (int i = 0; i < 20; i++)
            {
                Assert.StartsWith("""{"event":"fill","data":"xx""", await canary.Client.ReceiveAsync(), StringComparison.Ordinal);
            }

            await canary.AssertNothingPendingAsync();
        }

        Assert.True(cutOff, "The slow client was never cut off.");
        await Eventually.HoldsAsync(() => chat.GetClient(slow.Id) is null);
        Assert.True(maxQueued <= Limit, $"The slow client's queue reached {maxQueued} bytes (limit {Limit}).");
        Assert.Equal(1, chat.ConnectionCount);
        await canary.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Drop_oldest_keeps_a_slow_consumer_connected_with_the_newest_frames()
    {
        const int Limit = 64 * 1024;
        await using GatewayServer server = await StartAsync(o =>
        {
            o.MaxQueuedBytesPerConnection = Limit;
            o.SlowConsumerPolicy = SlowConsumerPolicy.DropOldest;
        });
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        using ChatClient slow = await ConnectAsync(server);
        GatewayClient slowOnServer = chat.GetClient(slow.Id)!;
        string filler = new('x', 1000);

        const int Frames = 30_000;
        for (int i = 0; i < Frames; i++)
        {
            chat.Client(slow.Id).Send("seq", $"{i}:{filler}", GatewayJsonContext.Default.String);
            Assert.True(slowOnServer.QueuedBytes <= Limit + 2048, $"queued {slowOnServer.QueuedBytes} bytes");
        }

        // Now it reads: whatever it gets is in order, some frames were dropped, and the newest one arrives.
        int last = -1;
        int received = 0;
        while (last != Frames - 1)
        {
            string frame = await slow.Client.ReceiveAsync();
            int start = frame.IndexOf("\"data\":\"", StringComparison.Ordinal) + 8;
            int sequence = int.Parse(frame.AsSpan()[start..frame.IndexOf(':', start)], CultureInfo.InvariantCulture);
            Assert.True(sequence > last, $"frame {sequence} after {last}");
            last = sequence;
            received++;
        }

        Assert.True(received < Frames, "No frame was dropped.");
        Assert.NotNull(chat.GetClient(slow.Id));
        await slow.AssertNothingPendingAsync();
    }


    private sealed class ChatClient(TestClient client, string id) : IDisposable
    {
        public TestClient Client { get; } = client;

        public string Id { get; } = id;

        public async Task RequestAsync(string frame, string expectedReply)
        {
            await Client.SendAsync(frame);
            Assert.Equal(expectedReply, await Client.ReceiveAsync());
        }

        /// <summary>Proves that no pushed frame is waiting: the next frame must be the answer to a new request.</summary>
        public Task AssertNothingPendingAsync() => RequestAsync("""{"event":"whoami"}""", $"\"{Id}\"");

        public void Dispose() => Client.Dispose();
    }
}
