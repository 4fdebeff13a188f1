using Gateway.Client;
using Gateway.Infrastructure;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// Gateway.Client resuming its connection after the network drops (a TCP proxy that cuts every connection), against a
/// real server with resumption on: same id and rooms, the pushes it missed exactly once, requests in flight answered;
/// and when the window has passed, the loss reported and the requests in flight failed.
/// </summary>
public sealed class ClientResumptionTests
{
    private static readonly GatewayConnectionOptions s_options = new()
    {
        Reconnect = new GatewayReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) },
    };

    private static Task<GatewayServer> StartAsync(TimeSpan window) => GatewayServer.StartAsync(
        g => g.AddGateway<ChatGateway>(),
        o =>
        {
            o.Resumption.Enabled = true;
            o.Resumption.Window = window;
        });

    [Fact]
    public async Task A_resumed_connection_keeps_its_id_and_rooms_gets_each_missed_push_once_and_answers_what_was_in_flight()
    {
        await using GatewayServer server = await StartAsync(TimeSpan.FromMinutes(1));
        await using var proxy = new TcpProxy(server.BaseUri);
        var sessions = new List<GatewaySession>();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using GatewayConnection alice = await GatewayConnection.ConnectAsync(proxy.Url(server.Url("/chat")), s_options);
        alice.SessionChanged += session =>
        {
            lock (sessions)
            {
                sessions.Add(session);
            }

            if (session.Resumed)
            {
                resumed.TrySetResult();
            }
        };
        var seen = new List<string>();
        using IDisposable subscription = alice.On("message", (RoomMessage m) => { lock (seen) { seen.Add(m.Text); } }, TestJsonContext.Default.RoomMessage);
        using TestClient bob = await server.ConnectAsync("/chat");
        Assert.True(await alice.RequestAsync("join", "red", GatewayJsonContext.Default.String, GatewayJsonContext.Default.Boolean));
        Assert.Equal("true", await bob.AskAsync("""{"event":"join","data":"red"}"""));
        string id = await alice.RequestAsync("whoami", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String);
        Assert.Equal(id, alice.Id);

        // In flight when the network goes: whether or not it reached the server, it is answered once.
        Task<string> inFlight = alice.RequestAsync("later", "x", GatewayJsonContext.Default.String, GatewayJsonContext.Default.String);
        proxy.Pause();
        for (int i = 1; i <= 3; i++)
        {
            await bob.SendAsync($$$"""{"event":"say","data":{"room":"red","text":"m{{{i}}}"}}""");
            await bob.ReceiveAsync();
            await bob.ReceiveAsync();
        }

        proxy.Resume();
        await resumed.Task.WaitAsync(TestClient.Timeout);
        Assert.Equal("x", await inFlight.WaitAsync(TestClient.Timeout));
        Assert.Equal(id, await alice.RequestAsync("whoami", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String));
        Assert.Equal(["red"], await alice.RequestAsync("myRooms", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.StringArray));
        lock (seen)
        {
            Assert.Equal(["m1", "m2", "m3"], seen);
        }

        lock (sessions)
        {
            Assert.Equal(id, sessions[^1].Id);
            Assert.Null(sessions[^1].Lost);
        }
    }

    [Fact]
    public async Task Coming_back_after_the_window_is_reported_and_fails_what_was_in_flight()
    {
        await using GatewayServer server = await StartAsync(TimeSpan.FromMilliseconds(300));
        await using var proxy = new TcpProxy(server.BaseUri);
        var lost = new TaskCompletionSource<GatewaySession>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using GatewayConnection alice = await GatewayConnection.ConnectAsync(proxy.Url(server.Url("/chat")), s_options);
        alice.SessionChanged += session =>
        {
            if (session.Lost is not null)
            {
                lost.TrySetResult(session);
            }
        };
        using TestClient bob = await server.ConnectAsync("/chat");
        Assert.True(await alice.RequestAsync("join", "red", GatewayJsonContext.Default.String, GatewayJsonContext.Default.Boolean));
        Assert.Equal("true", await bob.AskAsync("""{"event":"join","data":"red"}"""));
        string id = alice.Id!;
        await Task.Delay(200); // lets the join's acknowledgement go out, so the request below is the only thing in flight
        Task<string> inFlight = alice.RequestAsync("later", "x", GatewayJsonContext.Default.String, GatewayJsonContext.Default.String);
        await Task.Delay(100); // the request reaches the server before the network goes
        proxy.Pause();

        // The window passes: the server ends the connection (its hook tells the room), then the network comes back.
        Assert.Equal($$$"""{"event":"left","data":"{{{id}}}"}""", await bob.ReceiveAsync());
        proxy.Resume();
        GatewaySession session = await lost.Task.WaitAsync(TestClient.Timeout);
        Assert.Equal("expired", session.Lost);
        Assert.False(session.Resumed);
        Assert.NotEqual(id, session.Id);
        Assert.Equal(session.Id, alice.Id);
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => inFlight.WaitAsync(TestClient.Timeout));
        Assert.Equal(session.Id, await alice.RequestAsync("whoami", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String));
    }
}
