using System.Text.Json;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Resumable sessions over the NestJS protocol (docs/protocol-extensions.md): a client that loses its transport comes
/// back with its token and the number of the last frame it got, and finds its connection (id, rooms) and the frames it
/// missed; what cannot be recovered is told to it. Driven with raw ClientWebSockets to see every byte.
/// </summary>
public sealed class ResumptionTests
{
    private static Task<GatewayServer> StartAsync(Action<GatewayResumptionOptions>? configure = null, bool enabled = true) => GatewayServer.StartAsync(
        g => g.AddGateway<ChatGateway>(),
        o =>
        {
            o.Resumption.Enabled = enabled;
            configure?.Invoke(o.Resumption);
        });

    [Fact]
    public async Task A_client_that_comes_back_keeps_its_id_and_rooms_and_gets_what_it_missed()
    {
        await using GatewayServer server = await StartAsync();
        (TestClient a, Session session) = await ConnectNewAsync(server);
        using TestClient other = await server.ConnectAsync("/chat");
        Assert.Equal($"\"{session.Id}\"", await a.AskAsync("""{"event":"whoami"}"""));   // frame 1
        Assert.Equal("true", await a.AskAsync("""{"event":"join","data":"red"}"""));   // frame 2
        Assert.Equal("true", await other.AskAsync("""{"event":"join","data":"red"}"""));

        a.Socket.Abort();
        a.Dispose();
        for (int i = 1; i <= 3; i++)
        {
            await other.SendAsync($$$"""{"event":"say","data":{"room":"red","text":"m{{{i}}}"}}""");
            Assert.Equal($$$"""{"event":"message","data":{"room":"red","text":"m{{{i}}}"}}""", await other.ReceiveAsync());
            Assert.Equal("2", await other.ReceiveAsync());
        }

        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=2");
        Session resumed = Session.Read(await back.ReceiveAsync());
        Assert.True(resumed.Resumed);
        Assert.Equal(session.Id, resumed.Id);
        Assert.Equal(3, resumed.Replayed);
        // What the client sent that got through (whoami, join): it sends again only what came after.
        Assert.Equal(2, resumed.Received);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal($$$"""{"event":"message","data":{"room":"red","text":"m{{{i}}}"}}""", await back.ReceiveAsync());
        }

        Assert.Equal($"\"{session.Id}\"", await back.AskAsync("""{"event":"whoami"}"""));
        Assert.Equal("""["red"]""", await back.AskAsync("""{"event":"myRooms"}"""));
        // The connection never ended: its disconnect hook (which tells the room "left") did not run.
        Assert.Equal("""["red"]""", await other.AskAsync("""{"event":"rooms"}"""));
        await other.SendAsync("""{"event":"say","data":{"room":"red","text":"after"}}""");
        Assert.Equal("""{"event":"message","data":{"room":"red","text":"after"}}""", await back.ReceiveAsync());
    }

    [Fact]
    public async Task Frames_the_client_says_it_received_are_not_sent_again()
    {
        await using GatewayServer server = await StartAsync();
        (TestClient a, Session session) = await ConnectNewAsync(server);
        for (int i = 1; i <= 4; i++)
        {
            Assert.Equal($"\"e{i}\"", await a.AskAsync($$"""{"event":"echo","data":"e{{i}}"}"""));
        }

        a.Socket.Abort();
        a.Dispose();
        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=2");
        Session resumed = Session.Read(await back.ReceiveAsync());
        Assert.Equal(2, resumed.Replayed);
        Assert.Equal("\"e3\"", await back.ReceiveAsync());
        Assert.Equal("\"e4\"", await back.ReceiveAsync());
        Assert.Equal("\"e5\"", await back.AskAsync("""{"event":"echo","data":"e5"}"""));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Acknowledged_frames_are_let_go(bool acknowledge)
    {
        // The buffer holds 14 replies of 10 bytes (and 32 of bookkeeping each) at most, fewer once the client acknowledges.
        await using GatewayServer server = await StartAsync(o => o.MaxBufferedBytes = 600);
        (TestClient a, Session session) = await ConnectNewAsync(server);
        for (int i = 1; i <= 40; i++)
        {
            Assert.Equal($"\"reply-{i:00}\"", await a.AskAsync($$"""{"event":"echo","data":"reply-{{i:00}}"}"""));
            if (acknowledge)
            {
                await a.SendAsync($$"""{"event":"gateway:ack","data":{{i}}}""");
            }
        }

        Assert.Equal("\"last\"", await a.AskAsync("""{"event":"echo","data":"last"}"""));   // frame 41
        a.Socket.Abort();
        a.Dispose();

        // A client that claims less than it acknowledged finds those frames gone; unacknowledged, the last ones are kept.
        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=30");
        Session answer = Session.Read(await back.ReceiveAsync());
        if (acknowledge)
        {
            Assert.False(answer.Resumed);
            Assert.Equal("overflow", answer.Lost);
        }
        else
        {
            Assert.True(answer.Resumed);
            Assert.Equal(11, answer.Replayed);
            for (int i = 31; i <= 40; i++)
            {
                Assert.Equal($"\"reply-{i:00}\"", await back.ReceiveAsync());
            }

            Assert.Equal("\"last\"", await back.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Acknowledgements_are_not_events()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ChatGateway>(), o => { o.Resumption.Enabled = true; o.ReplyToInvalidMessages = true; });
        (TestClient a, _) = await ConnectNewAsync(server);
        using (a)
        {
            await a.SendAsync("""{"event":"gateway:ack","data":0}""");
            Assert.Equal("\"x\"", await a.AskAsync("""{"event":"echo","data":"x"}"""));
            // A malformed acknowledgement is an unknown event like any other.
            string reply = await a.AskAsync("""{"event":"gateway:ack","data":"x"}""");
            Assert.Contains("Unknown event", reply, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_more_than_the_buffer_holds_is_reported_and_ends_the_old_connection()
    {
        await using GatewayServer server = await StartAsync(o => o.MaxBufferedBytes = 200);
        (Session session, TestClient other) = await JoinThenDropAsync(server);
        using TestClient disposed = other;
        for (int i = 1; i <= 10; i++)
        {
            await other.SendAsync($$$"""{"event":"say","data":{"room":"red","text":"message {{{i}}}"}}""");
            await other.ReceiveAsync();
            await other.ReceiveAsync();
        }

        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=1");
        Session answer = Session.Read(await back.ReceiveAsync());
        Assert.False(answer.Resumed);
        Assert.Equal("overflow", answer.Lost);
        Assert.NotEqual(session.Id, answer.Id);
        Assert.NotEqual(session.Token, answer.Token);
        // The old connection is over: its disconnect hook told the room.
        Assert.Equal($$"""{"event":"left","data":"{{session.Id}}"}""", await other.ReceiveAsync());
        Assert.Equal("[]", await back.AskAsync("""{"event":"myRooms"}"""));
    }

    [Fact]
    public async Task A_client_later_than_the_window_is_told_and_its_connection_ended_at_the_windows_end()
    {
        await using GatewayServer server = await StartAsync(o => o.Window = TimeSpan.FromMilliseconds(200));
        (Session session, TestClient other) = await JoinThenDropAsync(server);
        using TestClient disposed = other;

        // Nobody came back within the window: the disconnect hook ran, the room heard of it.
        Assert.Equal($$"""{"event":"left","data":"{{session.Id}}"}""", await other.ReceiveAsync());
        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=1");
        Session answer = Session.Read(await back.ReceiveAsync());
        Assert.False(answer.Resumed);
        Assert.Equal("expired", answer.Lost);
        Assert.NotEqual(session.Id, answer.Id);
    }

    [Fact]
    public async Task An_unknown_token_and_a_connection_closed_for_good_are_reported_as_unknown()
    {
        await using GatewayServer server = await StartAsync();
        using TestClient stranger = await server.ConnectAsync("/chat?gw-resume=no-such-token&gw-received=3");
        Session answer = Session.Read(await stranger.ReceiveAsync());
        Assert.False(answer.Resumed);
        Assert.Equal("unknown", answer.Lost);

        (TestClient a, Session session) = await ConnectNewAsync(server);
        await a.CloseAsync();
        a.Dispose();
        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=0");
        Assert.Equal("unknown", Session.Read(await back.ReceiveAsync()).Lost);
    }

    [Fact]
    public async Task A_client_back_before_the_server_noticed_its_old_transport_takes_over()
    {
        await using GatewayServer server = await StartAsync();
        (TestClient a, Session session) = await ConnectNewAsync(server);
        Assert.Equal("\"one\"", await a.AskAsync("""{"event":"echo","data":"one"}"""));

        // The old transport is still open (as a half-open TCP connection looks to a server).
        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=1");
        Session resumed = Session.Read(await back.ReceiveAsync());
        Assert.True(resumed.Resumed);
        Assert.Equal(0, resumed.Replayed);
        Assert.Equal(1, resumed.Received);
        Assert.Equal("\"two\"", await back.AskAsync("""{"event":"echo","data":"two"}"""));
        Assert.Equal($"\"{session.Id}\"", await back.AskAsync("""{"event":"whoami"}"""));
        // The server dropped the old one.
        await Assert.ThrowsAnyAsync<Exception>(async () => await a.ReceiveMessageAsync());
        a.Dispose();
    }

    [Fact]
    public async Task A_returning_client_is_not_counted_twice_against_the_connection_limits()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ChatGateway>(), o => { o.Resumption.Enabled = true; o.MaxConnectionsPerIpAddress = 1; });
        (TestClient a, Session session) = await ConnectNewAsync(server);
        Assert.Equal("\"one\"", await a.AskAsync("""{"event":"echo","data":"one"}"""));
        a.Socket.Abort();
        a.Dispose();

        // The away connection still holds the address's one place; the client coming back for it takes no other.
        using TestClient back = await server.ConnectAsync($"/chat?gw-resume={session.Token}&gw-received=1");
        Assert.True(Session.Read(await back.ReceiveAsync()).Resumed);
        Assert.Equal("\"two\"", await back.AskAsync("""{"event":"echo","data":"two"}"""));
        (TestClient? stranger, System.Net.HttpStatusCode status) = await TestClient.TryConnectAsync(server.Url("/chat"));
        stranger?.Dispose();
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, status);
    }

    [Theory]
    [InlineData(true, "/chat")]
    [InlineData(false, "/chat?gw-resume=new")]
    public async Task Without_the_request_or_the_option_the_wire_is_NestJS_s(bool enabled, string path)
    {
        await using GatewayServer server = await StartAsync(enabled: enabled);
        using TestClient client = await server.ConnectAsync(path);
        string id = await client.AskAsync("""{"event":"whoami"}""");
        Assert.StartsWith("\"", id, StringComparison.Ordinal);
        Assert.Equal("\"x\"", await client.AskAsync("""{"event":"echo","data":"x"}"""));
    }

    [Fact]
    public async Task A_closing_server_closes_an_away_connection_and_runs_its_hook()
    {
        GatewayServer server = await StartAsync();
        (TestClient a, _) = await ConnectNewAsync(server);
        Assert.Equal("true", await a.AskAsync("""{"event":"join","data":"red"}"""));
        a.Socket.Abort();
        a.Dispose();
        // Away, the connection still counts.
        Assert.Equal(1, server.Services.GetRequiredService<IGatewayServer<ChatGateway>>().ConnectionCount);
        Task stopping = server.StopAsync();
        // A graceful stop does not wait out the window for an away client.
        Assert.Same(stopping, await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)));
        await server.DisposeAsync();
    }

    /// <summary>A resumable client and an ordinary one join "red"; the resumable one's transport then drops.</summary>
    private static async Task<(Session Session, TestClient Other)> JoinThenDropAsync(GatewayServer server)
    {
        (TestClient a, Session session) = await ConnectNewAsync(server);
        TestClient other = await server.ConnectAsync("/chat");
        Assert.Equal("true", await a.AskAsync("""{"event":"join","data":"red"}"""));
        Assert.Equal("true", await other.AskAsync("""{"event":"join","data":"red"}"""));
        a.Socket.Abort();
        a.Dispose();
        return (session, other);
    }

    private static async Task<(TestClient Client, Session Session)> ConnectNewAsync(GatewayServer server)
    {
        TestClient client = await server.ConnectAsync("/chat?gw-resume=new");
        Session session = Session.Read(await client.ReceiveAsync());
        Assert.False(session.Resumed);
        Assert.Null(session.Lost);
        return (client, session);
    }

    private sealed record Session(string Id, string Token, bool Resumed, int? Replayed, long? Received, string? Lost)
    {
        public static Session Read(string frame)
        {
            using JsonDocument document = JsonDocument.Parse(frame);
            Assert.Equal("gateway:session", document.RootElement.GetProperty("event").GetString());
            JsonElement data = document.RootElement.GetProperty("data");
            return new Session(
                data.GetProperty("id").GetString()!,
                data.GetProperty("token").GetString()!,
                data.GetProperty("resumed").GetBoolean(),
                data.TryGetProperty("replayed", out JsonElement replayed) ? replayed.GetInt32() : null,
                data.TryGetProperty("received", out JsonElement received) ? received.GetInt64() : null,
                data.TryGetProperty("lost", out JsonElement lost) ? lost.GetString() : null);
        }
    }
}
