using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Socket.IO's own connection state recovery (pid and offset), with npm socket.io-client 4.8 over both transports:
/// a client back within the window is told <c>socket.recovered</c>, keeps its id and rooms and gets each event it
/// missed once; one back after the window is told it was not recovered, and its old connection's hook has run.
/// </summary>
public sealed class SocketIORecoveryTests
{
    private static Task<GatewayServer> StartAsync(TimeSpan window, int maxBufferedBytes = 64 * 1024) => GatewayServer.StartAsync(
        gateways => gateways.AddGateway<SioGateway>().AddGateway<SioAdminGateway>().AddSocketIO(),
        o =>
        {
            o.Resumption.Enabled = true;
            o.Resumption.Window = window;
            o.Resumption.MaxBufferedBytes = maxBufferedBytes;
        },
        services: services => services.AddFakeLogging(),
        configureApp: app => app.MapSocketIO());

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_client_back_within_the_window_is_recovered_with_its_id_rooms_and_missed_events(string transport)
    {
        await using GatewayServer server = await StartAsync(TimeSpan.FromMinutes(1));

        string output = await SampleProcess.RunNodeAsync("socketio-recovery.mjs", null, SocketIOTests.Http(server), transport, "500");

        Assert.Equal(
            [
                "connected recovered=false",
                "disconnected forced close",
                "connected recovered=true same-id=true",
                "said m1 m2 m3",
                "said m4",
            ],
            SampleProcess.Lines(output));
        server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_client_back_after_the_window_is_told_it_was_not_recovered()
    {
        await using GatewayServer server = await StartAsync(TimeSpan.FromMilliseconds(200));
        IGatewayServer<SioGateway> gateway = server.Services.GetRequiredService<IGatewayServer<SioGateway>>();

        string output = await SampleProcess.RunNodeAsync("socketio-recovery.mjs", null, SocketIOTests.Http(server), "websocket", "1500");

        Assert.Equal(
            [
                "connected recovered=false",
                "disconnected forced close",
                "connected recovered=false same-id=false",
                "said 0",
            ],
            SampleProcess.Lines(output));
        // Alice's first connection ended when the window passed (it would count here if it still waited).
        await Eventually.HoldsAsync(() => gateway.ConnectionCount == 0);
    }

    [Fact]
    public async Task A_client_that_missed_more_than_is_kept_is_told_it_was_not_recovered()
    {
        // Each of the three events Bob says while Alice is away is ~30 bytes: 40 keep one.
        await using GatewayServer server = await StartAsync(TimeSpan.FromMinutes(1), maxBufferedBytes: 40);
        IGatewayServer<SioGateway> gateway = server.Services.GetRequiredService<IGatewayServer<SioGateway>>();

        string output = await SampleProcess.RunNodeAsync("socketio-recovery.mjs", null, SocketIOTests.Http(server), "websocket", "500");

        Assert.Equal(
            [
                "connected recovered=false",
                "disconnected forced close",
                "connected recovered=false same-id=false",
                "said 0",
            ],
            SampleProcess.Lines(output));
        // The old connection ended when its client came back and could not have it: nothing waits a minute.
        await Eventually.HoldsAsync(() => gateway.ConnectionCount == 0);
    }
}
