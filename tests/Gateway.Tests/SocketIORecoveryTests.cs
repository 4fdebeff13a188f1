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

    [Theory]
    [InlineData(200, 64 * 1024, 1500)] // back after the window: the connection ended when it passed
    [InlineData(60_000, 40, 500)]      // three events of ~30 bytes (and their bookkeeping) while away: none is kept
    public async Task A_client_that_cannot_be_recovered_is_told_so_and_its_old_connection_ends(int windowMs, int maxBufferedBytes, int backAfterMs)
    {
        await using GatewayServer server = await StartAsync(TimeSpan.FromMilliseconds(windowMs), maxBufferedBytes);
        IGatewayServer<SioGateway> gateway = server.Services.GetRequiredService<IGatewayServer<SioGateway>>();

        string output = await SampleProcess.RunNodeAsync(
            "socketio-recovery.mjs", null, SocketIOTests.Http(server), "websocket", backAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(
            [
                "connected recovered=false",
                "disconnected forced close",
                "connected recovered=false same-id=false",
                "said 0",
            ],
            SampleProcess.Lines(output));
        // Alice's first connection is over (it would count here if it still waited for her).
        await Eventually.HoldsAsync(() => gateway.ConnectionCount == 0);
    }
}
