using System.Net.WebSockets;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>Engine.IO's heartbeat drops a client that stopped answering; socket.io-client reconnects to a restarted server.</summary>
public sealed class SocketIOLivenessTests
{
    [Fact]
    public async Task A_client_that_stops_answering_pings_is_dropped_and_its_hooks_and_rooms_end()
    {
        await using GatewayServer server = await SocketIOTests.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });
        IGatewayServer<SioGateway> gateway = server.Services.GetRequiredService<IGatewayServer<SioGateway>>();
        using ClientWebSocket alive = await SocketIOHostileInputTests.ConnectAsync(server);
        using ClientWebSocket dead = await SocketIOHostileInputTests.ConnectAsync(server);
        await SocketIOHostileInputTests.SendAsync(dead, "421[\"join\",\"r\"]");
        Assert.Equal("431[true]", await SocketIOHostileInputTests.ReceiveTextAsync(dead));
        Assert.Equal(2, gateway.ConnectionCount);

        // The dead client reads nothing from now on, so it answers no ping; the live one keeps answering.
        using var keepAnswering = new CancellationTokenSource();
        Task<string> answering = AnswerPingsAsync(alive, keepAnswering.Token);
        await Eventually.HoldsAsync(() => gateway.ConnectionCount == 1);

        Assert.Equal(0, gateway.CountRoomMembers("r"));
        await SocketIOHostileInputTests.SendAsync(alive, "422[\"echo\",\"ok\"]");
        Assert.Equal("432[\"ok\"]", await answering);
        server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task Socket_io_client_reconnects_when_the_server_comes_back()
    {
        GatewayServer first = await SocketIOTests.StartAsync();
        int port = first.BaseUri.Port;
        string http = SocketIOTests.Http(first);
        await using ChildProcess node = ChildProcess.Start(
            "node", ["socketio-reconnect.mjs", http], SampleProcess.NodeDirectory, line => line == "welcome 1" ? line : null);
        await node.WaitForMatchAsync();

        await first.DisposeAsync();
        await using GatewayServer second = await Infrastructure.GatewayServer.StartAsync(
            gateways => gateways.AddGateway<SioGateway>().AddGateway<SioAdminGateway>().AddSocketIO(),
            configureApp: app => Microsoft.AspNetCore.Builder.SocketIOEndpointRouteBuilderExtensions.MapSocketIO(app),
            port: port);

        Assert.Equal(0, await node.WaitForExitAsync());
        Assert.Equal(["welcome 1", "reconnected true", "welcome 2"], SampleProcess.Lines(node.Output));
    }

    // Answers pings until the first other message, which it returns.
    private static async Task<string> AnswerPingsAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, cancellationToken);
            string text = System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (text != "2")
            {
                return text;
            }

            await SocketIOHostileInputTests.SendAsync(socket, "3");
        }
    }
}
