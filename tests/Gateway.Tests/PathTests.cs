using System.Net;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// NestJS's paths and ports, over real connections: route parameters bound to handler parameters, exact matching of
/// templates, malformed percent-encoding refused with 400, and gateways served on ports of their own.
/// </summary>
public sealed class PathTests
{

    [Fact]
    public async Task A_route_parameter_binds_as_text_and_as_a_parsed_number()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<RoomGateway>(), services: s => s.AddFakeLogging());

        using TestClient lobby = await TestClient.ConnectAsync(server.Url("/rooms/lobby/socket"));
        using TestClient café = await TestClient.ConnectAsync(server.Url("/rooms/caf%C3%A9/socket"));
        using TestClient numbered = await TestClient.ConnectAsync(server.Url("/rooms/41/socket"));

        Assert.Equal("\"lobby\"", await lobby.AskAsync("""{"event":"where"}"""));
        Assert.Equal("\"café\"", await café.AskAsync("""{"event":"where"}"""));
        Assert.Equal("42", await numbered.AskAsync("""{"event":"number"}"""));
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"The route value 'roomId' is not a valid System.Int32.","cause":{"pattern":"number"}}}""",
            await lobby.AskAsync("""{"event":"number"}"""));
        Assert.Equal("\"lobby\"", await lobby.AskAsync("""{"event":"where"}"""));
        server.AssertNothingLoggedAboveInformation();
    }

    [Theory]
    [InlineData("/rooms/lobby/socket/")]
    [InlineData("/Rooms/lobby/socket")]
    [InlineData("/rooms/lobby/SOCKET")]
    [InlineData("/rooms/lobby")]
    public async Task A_templated_path_matches_its_literal_segments_exactly(string path)
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<RoomGateway>());

        (TestClient? client, HttpStatusCode status) = await TestClient.TryConnectAsync(server.Url(path));

        Assert.Null(client);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Theory]
    [InlineData("/rooms/%ZZ/socket")]
    [InlineData("/rooms/50%/socket")]
    [InlineData("/rooms/%FF%FE/socket")]
    [InlineData("/rooms/%C3/socket")]
    public async Task Malformed_percent_encoding_is_a_400(string path)
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<RoomGateway>());

        // A raw request line: Uri and ClientWebSocket would escape the stray '%' into a well-formed "%25".
        (RawWebSocket socket, string response) = await RawWebSocket.ConnectAsync(server.BaseUri, path);
        using RawWebSocket _ = socket;

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateways_with_ports_answer_only_on_their_port_and_may_share_a_path_and_an_event()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<EastGameGateway>().AddGateway<WestGameGateway>(), services: s => s.AddFakeLogging());

        using TestClient east = await TestClient.ConnectAsync(new Uri("ws://127.0.0.1:24871/game"));
        using TestClient west = await TestClient.ConnectAsync(new Uri("ws://127.0.0.1:24872/game"));
        (TestClient? elsewhere, HttpStatusCode status) = await TestClient.TryConnectAsync(server.Url("/game"));

        Assert.Equal("\"east\"", await east.AskAsync("""{"event":"move"}"""));
        Assert.Equal("\"west\"", await west.AskAsync("""{"event":"move"}"""));
        Assert.Null(elsewhere);
        Assert.Equal(HttpStatusCode.NotFound, status);
        server.AssertNothingLoggedAboveInformation();
    }
}
