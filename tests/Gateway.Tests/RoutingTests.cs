using System.Net;
using System.Net.WebSockets;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

public sealed class RoutingTests
{
    [Fact]
    public async Task Gateways_on_one_path_serve_the_same_connection()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<FirstSharedGateway>().AddGateway<SecondSharedGateway>().AddGateway<ArticleGateway>());
        using TestClient client = await server.ConnectAsync("/shared");

        await client.SendAsync("""{"event":"b"}""");
        Assert.Equal("\"from second\"", await client.ReceiveAsync());
        await client.SendAsync("""{"event":"identity","data":1}""");
        await client.SendAsync("""{"event":"a"}""");
        Assert.Equal("\"from first\"", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_gateways_path_matches_exactly_without_case_folding_or_a_trailing_slash()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<PayloadsGateway>());

        (TestClient? exact, HttpStatusCode status) = await TestClient.TryConnectAsync(server.Url("/payloads"));
        (TestClient? trailing, HttpStatusCode trailingStatus) = await TestClient.TryConnectAsync(server.Url("/payloads/"));
        (TestClient? upper, HttpStatusCode upperStatus) = await TestClient.TryConnectAsync(server.Url("/PAYLOADS"));
        using TestClient? _ = exact;

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.Null(trailing);
        Assert.Equal(HttpStatusCode.NotFound, trailingStatus);
        Assert.Null(upper);
        Assert.Equal(HttpStatusCode.NotFound, upperStatus);
    }

    [Fact]
    public async Task A_path_no_gateway_serves_is_a_404_and_plain_http_to_a_gateway_is_a_400()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>());

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.Url("/missing"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);

        using var trailing = new ClientWebSocket();
        trailing.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => trailing.ConnectAsync(server.Url("/shared/"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, trailing.HttpStatusCode);

        using var http = new HttpClient();
        var httpUri = new UriBuilder(server.BaseUri) { Scheme = "http" }.Uri;
        using HttpResponseMessage response = await http.GetAsync(httpUri);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Gateways_are_singletons_shared_by_all_connections()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>().AddGateway<ArticleGateway>());

        Assert.Same(
            server.Services.GetService(typeof(ArticleGateway)),
            server.Services.GetService(typeof(ArticleGateway)));
        using TestClient client = await server.ConnectAsync();
        await client.SendAsync("""{"event":"identity","data":1}""");
        Assert.Equal("1", await client.ReceiveAsync());
    }
}
