using Gateway.Client;
using Gateway.Infrastructure;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Gateway.Client against a real server over loopback: requests matched by id (in parallel, out of order), results
/// of every shape, streams to their end, errors as exceptions, fire-and-forget messages and pushed events.
/// </summary>
public sealed class ClientTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>().AddGateway<ErrorsGateway>().AddGateway<CorrelationGateway>(),
            o => o.MaxParallelMessagesPerConnection = 8,
            s => s.AddSingleton<Counter>());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<GatewayConnection> ConnectAsync(string path) => GatewayConnection.ConnectAsync(_server.Url(path));

    [Fact]
    public async Task Requests_return_results_of_every_shape_and_wait_for_handlers_without_one()
    {
        await using GatewayConnection kinds = await ConnectAsync("/kinds");

        Assert.Equal(42L, await kinds.RequestAsync("static", 41L, GatewayJsonContext.Default.Int64, GatewayJsonContext.Default.Int64));
        Assert.Equal("HI!", (await kinds.RequestAsync("record", new ChatMessage("ann", "hi!"), TestJsonContext.Default.ChatMessage, TestJsonContext.Default.ChatMessage)).Text);
        Assert.Equal("x", await kinds.RequestAsync("wsResponse", "x", GatewayJsonContext.Default.String, GatewayJsonContext.Default.String));
        await kinds.RequestAsync("void", 5, GatewayJsonContext.Default.Int32);
        await kinds.RequestAsync("task", 2, GatewayJsonContext.Default.Int32);
        Assert.Equal(7, await kinds.RequestAsync("count", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32));
        await Assert.ThrowsAsync<InvalidOperationException>(() => kinds.RequestAsync("null", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String));
    }

    [Fact]
    public async Task Parallel_requests_get_their_own_answers_whatever_order_they_come_in()
    {
        await using GatewayConnection connection = await ConnectAsync("/correlation");
        int[] delays = [250, 5, 120, 0, 60, 30];

        int[] answers = await Task.WhenAll(delays.Select(d =>
            connection.RequestAsync("after", d, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32)));

        Assert.Equal(delays, answers);
    }

    [Fact]
    public async Task A_stream_yields_each_item_until_its_end_and_a_broken_stream_throws_after_its_items()
    {
        await using GatewayConnection kinds = await ConnectAsync("/kinds");
        await using GatewayConnection errors = await ConnectAsync("/errors");

        List<string?> items = [];
        await foreach (string? item in kinds.StreamAsync("stream", 4, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String))
        {
            items.Add(item);
        }

        List<int> before = [];
        GatewayRequestException broken = await Assert.ThrowsAsync<GatewayRequestException>(async () =>
        {
            await foreach (int item in errors.StreamAsync("streamCrash", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32))
            {
                before.Add(item);
            }
        });

        Assert.Equal(["item0", "item2", "item3"], items);
        Assert.Equal([1], before);
        Assert.Equal("stream broke", broken.Message);
    }

    [Fact]
    public async Task Errors_and_refusals_are_exceptions_with_the_servers_frame_and_the_connection_goes_on()
    {
        await using GatewayConnection errors = await ConnectAsync("/errors");

        GatewayRequestException crash = await Assert.ThrowsAsync<GatewayRequestException>(
            () => errors.RequestAsync("crash", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32));
        GatewayRequestException invalid = await Assert.ThrowsAsync<GatewayRequestException>(
            () => errors.RequestAsync("typed", 5, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String));
        GatewayRequestException unknown = await Assert.ThrowsAsync<GatewayRequestException>(
            () => errors.RequestAsync("nobody", 0, GatewayJsonContext.Default.Int32));
        GatewayRequestException custom = await Assert.ThrowsAsync<GatewayRequestException>(
            () => errors.RequestAsync("wsObject", 0, GatewayJsonContext.Default.Int32));

        Assert.Equal("Internal server error", crash.Message);
        Assert.Equal("Invalid payload", invalid.Message);
        Assert.Equal("Unknown event", unknown.Message);
        Assert.Equal(42, custom.Error.GetProperty("code").GetInt32());
        Assert.Equal("ok", await errors.RequestAsync("ok", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.String));
    }

    [Fact]
    public async Task Pushed_events_reach_their_handlers_until_the_subscription_is_disposed()
    {
        await using GatewayConnection kinds = await ConnectAsync("/kinds");
        var pushed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var records = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        int afterDispose = 0;
        IDisposable subscription = kinds.On("pushed", (string data) => pushed.TrySetResult(data), GatewayJsonContext.Default.String);
        using IDisposable _ = kinds.On("pushed-record", (ChatMessage message) => records.TrySetResult(message), TestJsonContext.Default.ChatMessage);

        await kinds.SendAsync("push", "hello", GatewayJsonContext.Default.String);
        Assert.Equal("hello", await pushed.Task.WaitAsync(TestClient.Timeout));
        Assert.Equal(new ChatMessage("server", "hello"), await records.Task.WaitAsync(TestClient.Timeout));

        subscription.Dispose();
        using IDisposable counting = kinds.On("pushed", (string _) => Interlocked.Increment(ref afterDispose), GatewayJsonContext.Default.String);
        await kinds.RequestAsync("push", "again", GatewayJsonContext.Default.String);
        Assert.Equal(1, afterDispose);
    }

    [Fact]
    public async Task Requests_still_waiting_when_the_server_stops_fail_instead_of_hanging()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<CorrelationGateway>());
        await using GatewayConnection connection = await GatewayConnection.ConnectAsync(server.Url("/correlation"));

        Task<int> waiting = connection.RequestAsync("after", 60_000, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32);
        await server.StopAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => waiting.WaitAsync(TestClient.Timeout));
        Assert.Same(connection.Completion, await Task.WhenAny(connection.Completion, Task.Delay(TestClient.Timeout)));
    }

    [Fact]
    public async Task After_a_server_restart_it_reconnects_by_itself_and_sends_what_was_queued_meanwhile()
    {
        GatewayServer first = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>().AddGateway<NeverAnswersGateway>(), services: s => s.AddSingleton<Counter>());
        int port = first.BaseUri.Port;
        var states = new List<GatewayConnectionState>();
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using GatewayConnection connection = await GatewayConnection.ConnectAsync(
            first.Url("/kinds"),
            new GatewayConnectionOptions { Reconnect = new GatewayReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) } });
        connection.StateChanged += state =>
        {
            lock (states)
            {
                states.Add(state);
            }

            (state == GatewayConnectionState.Reconnecting ? reconnecting : connected).TrySetResult();
        };
        Assert.Equal(2L, await connection.RequestAsync("static", 1L, GatewayJsonContext.Default.Int64, GatewayJsonContext.Default.Int64));

        Task<int> inFlight = connection.RequestAsync("never", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32);
        await first.DisposeAsync();
        await reconnecting.Task.WaitAsync(TestClient.Timeout);
        await connection.SendAsync("void", 3, GatewayJsonContext.Default.Int32);
        Task<int> queuedRequest = connection.RequestAsync("count", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32);
        await using GatewayServer second = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>(), services: s => s.AddSingleton<Counter>(), port: port);

        await connected.Task.WaitAsync(TestClient.Timeout);
        // The queued send reached the new server before the queued request, in order; the request in flight at the
        // drop failed rather than hang (its answer went with the old connection).
        Assert.Equal(3, await queuedRequest.WaitAsync(TestClient.Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight.WaitAsync(TestClient.Timeout));
        Assert.Equal(GatewayConnectionState.Connected, connection.State);
        lock (states)
        {
            Assert.Equal([GatewayConnectionState.Reconnecting, GatewayConnectionState.Connected], states);
        }
    }

    [Fact]
    public async Task While_reconnecting_the_queue_is_bounded_and_giving_up_disconnects_and_fails_what_waits()
    {
        GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ReturnKindsGateway>(), services: s => s.AddSingleton<Counter>());
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using GatewayConnection connection = await GatewayConnection.ConnectAsync(
            server.Url("/kinds"),
            new GatewayConnectionOptions
            {
                Reconnect = new GatewayReconnectOptions
                {
                    InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 3, MaxQueuedMessages = 2,
                },
            });
        connection.StateChanged += state =>
        {
            if (state == GatewayConnectionState.Reconnecting)
            {
                reconnecting.TrySetResult();
            }
        };

        await server.DisposeAsync();
        await reconnecting.Task.WaitAsync(TestClient.Timeout);
        Task<int> waiting = connection.RequestAsync("count", 0, GatewayJsonContext.Default.Int32, GatewayJsonContext.Default.Int32);
        await connection.SendAsync("void", 1, GatewayJsonContext.Default.Int32);
        InvalidOperationException full = await Assert.ThrowsAsync<InvalidOperationException>(
            () => connection.SendAsync("void", 2, GatewayJsonContext.Default.Int32));

        Assert.Same(connection.Completion, await Task.WhenAny(connection.Completion, Task.Delay(TestClient.Timeout)));
        Assert.Contains("2 messages already wait", full.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayConnectionState.Disconnected, connection.State);
        await Assert.ThrowsAnyAsync<Exception>(() => waiting.WaitAsync(TestClient.Timeout));
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => connection.SendAsync("void", 3, GatewayJsonContext.Default.Int32));
    }
}
