using System.Net;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>Long-polling from a page of another origin: CORS from <see cref="GatewayOptions.AllowedOrigins"/>, others refused.</summary>
public sealed class SocketIOCorsTests
{
    private const string Allowed = "https://app.example";

    private static Task<GatewayServer> StartAsync() =>
        GatewayServer.StartAsync(
            gateways => gateways.AddGateway<SioGateway>().AddSocketIO(),
            configure: options => options.AllowedOrigins.Add(Allowed),
            configureApp: app => app.MapSocketIO());

    [Fact]
    public async Task An_allowed_origin_gets_its_preflight_and_its_headers()
    {
        await using GatewayServer server = await StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(SocketIOTests.Http(server)) };

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/socket.io/?EIO=4&transport=polling")
        {
            Headers = { { "Origin", Allowed }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "content-type" } },
        };
        using HttpResponseMessage answered = await http.SendAsync(preflight);
        using var open = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling") { Headers = { { "Origin", Allowed } } };
        using HttpResponseMessage opened = await http.SendAsync(open);

        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        Assert.Equal(Allowed, answered.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", answered.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("POST", answered.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type", answered.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(Allowed, opened.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.StartsWith("0{\"sid\":", await opened.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_origin_is_refused()
    {
        await using GatewayServer server = await StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(SocketIOTests.Http(server)) };

        using var open = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling") { Headers = { { "Origin", "https://evil.example" } } };
        using HttpResponseMessage refused = await http.SendAsync(open);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("{\"code\":4,\"message\":\"Forbidden\"}", await refused.Content.ReadAsStringAsync());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
