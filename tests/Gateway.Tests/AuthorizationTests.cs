using System.Net;
using System.Net.WebSockets;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// <c>[Authorize]</c> on a gateway class is checked by ASP.NET Core's authorization middleware at the handshake
/// (401/403 before the upgrade); on a handler, against the connection's user before each message, refused with the
/// spec's "Forbidden resource" frame while the connection stays open. A real authentication scheme reads the token
/// from the query string, as browsers need.
/// </summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<SecureGateway>().AddGateway<LobbyGateway>(),
            services: services =>
            {
                services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
                services.AddAuthorization(o => o.AddPolicy("staff", p => p.RequireRole("staff")));
            });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Connects as <paramref name="token"/> (none when null); returns the client, or null and the refusing status.</summary>
    private Task<(TestClient? Client, HttpStatusCode Status)> TryConnectAsync(string path, string? token) =>
        TestClient.TryConnectAsync(new Uri(_server.Url(path) + (token is null ? "" : "?access_token=" + Uri.EscapeDataString(token))));

    private static string Forbidden(string pattern, string? data = null) =>
        """{"event":"exception","data":{"status":"error","message":"Forbidden resource","cause":{"pattern":""" + $"\"{pattern}\""
        + (data is null ? "" : ",\"data\":" + data) + "}}}";

    [Fact]
    public async Task An_authorized_gateway_refuses_anonymous_handshakes_with_401_and_admits_a_query_string_token()
    {
        (TestClient? anonymous, HttpStatusCode refused) = await TryConnectAsync("/secure", token: null);
        (TestClient? alice, HttpStatusCode admitted) = await TryConnectAsync("/secure", "alice:user");
        using TestClient? _ = alice;

        Assert.Null(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, admitted);
        Assert.Equal("\"alice\"", await alice!.AskAsync("""{"event":"whoami"}"""));
    }

    [Fact]
    public async Task A_handler_with_roles_or_a_policy_answers_forbidden_to_other_users_and_their_connection_stays()
    {
        (TestClient? alice, _) = await TryConnectAsync("/secure", "alice:user");
        (TestClient? bob, _) = await TryConnectAsync("/secure", "bob:admin");
        (TestClient? carol, _) = await TryConnectAsync("/secure", "carol:staff");
        using TestClient a = alice!, b = bob!, c = carol!;

        Assert.Equal(Forbidden("admin"), await a.AskAsync("""{"event":"admin"}"""));
        Assert.Equal(Forbidden("staff", "\"why?\""), await a.AskAsync("""{"event":"staff","data":"why?"}"""));
        Assert.Equal("\"alice\"", await a.AskAsync("""{"event":"whoami"}"""));

        Assert.Equal("\"secret\"", await b.AskAsync("""{"event":"admin"}"""));
        Assert.Equal(Forbidden("staff", "\"why?\""), await b.AskAsync("""{"event":"staff","data":"why?"}"""));
        Assert.Equal(Forbidden("admin"), await c.AskAsync("""{"event":"admin"}"""));
        Assert.Equal("\"staff answer to why?\"", await c.AskAsync("""{"event":"staff","data":"why?"}"""));
    }

    [Fact]
    public async Task On_an_open_gateway_an_authorized_handler_refuses_anonymous_connections_only()
    {
        (TestClient? anonymous, HttpStatusCode status) = await TryConnectAsync("/lobby", token: null);
        (TestClient? member, _) = await TryConnectAsync("/lobby", "dave:user");
        using TestClient guest = anonymous!, dave = member!;

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.Equal(Forbidden("members"), await guest.AskAsync("""{"event":"members"}"""));
        Assert.Equal("\"hi\"", await guest.AskAsync("""{"event":"hello"}"""));
        Assert.Equal("\"members only\"", await dave.AskAsync("""{"event":"members"}"""));
    }

    [Fact]
    public async Task With_close_on_expiration_a_connection_is_closed_with_1008_when_its_token_expires()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<LobbyGateway>(),
            o => o.CloseOnAuthenticationExpiration = true,
            services =>
            {
                services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
                services.AddAuthorization();
            });
        using var expiring = new ClientWebSocket();
        await expiring.ConnectAsync(new Uri(server.Url("/lobby") + "?access_token=erin:user:300"), CancellationToken.None);
        using var lasting = new ClientWebSocket();
        await lasting.ConnectAsync(new Uri(server.Url("/lobby") + "?access_token=fred:user"), CancellationToken.None);
        using TestClient erin = TestClient.Wrap(expiring), fred = TestClient.Wrap(lasting);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await erin.ReceiveCloseAsync());
        Assert.Equal("\"members only\"", await fred.AskAsync("""{"event":"members"}"""));
    }

    [Fact]
    public async Task A_convention_for_one_gateway_applies_to_its_endpoint_only()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<LobbyGateway>().AddGateway<HardeningGateway>(),
            services: services =>
            {
                services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
                services.AddAuthorization();
            },
            conventions: gateways => gateways.For<LobbyGateway>().RequireAuthorization());

        using var lobby = new ClientWebSocket();
        lobby.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => lobby.ConnectAsync(server.Url("/lobby"), CancellationToken.None));
        using var hardening = new ClientWebSocket();
        await hardening.ConnectAsync(server.Url("/hardening"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, lobby.HttpStatusCode);
        Assert.Equal(WebSocketState.Open, hardening.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayServer.StartAsync(
            g => g.AddGateway<HardeningGateway>(), conventions: gateways => gateways.For<LobbyGateway>()));
    }

    [Fact]
    public async Task Handlers_with_authorize_but_no_authorization_services_stop_the_start_with_the_call_to_add()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => GatewayServer.StartAsync(g => g.AddGateway<LobbyGateway>()));

        Assert.Contains("AddAuthorization()", error.Message, StringComparison.Ordinal);
    }
}
