using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// The real npm socket.io-client 4.8 (in Node) against gateways served with <c>MapSocketIO()</c>, over each transport:
/// socket.io-client's default (long-polling, then the upgrade to WebSocket), WebSocket only, and long-polling only.
/// </summary>
public sealed class SocketIOTests
{
    internal static Task<GatewayServer> StartAsync(Action<SocketIOOptions>? configure = null) =>
        GatewayServer.StartAsync(
            gateways => gateways.AddGateway<SioGateway>().AddGateway<SioAdminGateway>().AddSocketIO(configure),
            services: services => services.AddFakeLogging(),
            configureApp: app => app.MapSocketIO());

    internal static string Http(GatewayServer server) => "http" + server.BaseUri.ToString()["ws".Length..].TrimEnd('/');

    [Theory]
    [InlineData("default", "websocket")]
    [InlineData("websocket", "websocket")]
    [InlineData("polling", "polling")]
    public async Task A_socket_io_client_app_works_unchanged(string mode, string transport)
    {
        await using GatewayServer server = await StartAsync();

        string output = await SampleProcess.RunNodeAsync("socketio-client.mjs", null, Http(server), mode);

        Assert.Equal(
            [
                """welcome {"token":"t1"} in q1""",
                "connected true id true",
                "echo {\"a\":1,\"s\":\"é\u2028\"}",
                """multi [1,"2",{"3":[true]}]""",
                "replied hi",
                """exception {"status":"error","message":"nope","cause":{"pattern":"fail"}}""",
                "bytes 256",
                "ask why!",
                "silence timed out",
                "count 1",
                "unknown ignored",
                "admin true",
                "multiplexed true",
                "nope Invalid namespace",
                "refused Not authorized",
                "said to 2",
                "b heard hello",
                "a heard 0",
                """w heard {"event":"said","data":"hello"}""",
                "everyone 3",
                "b heard all",
                $"transport {transport}",
                "b io client disconnect",
            ],
            SampleProcess.Lines(output));
        server.AssertNothingLoggedAboveInformation();
    }
}
