using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Claims;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.Tests;

/// <summary>
/// Connection limits per gateway path, per IP address and per user: the connection beyond a limit is refused
/// (503, 429 before the upgrade; 1008 right after it for a user), counted, and its place comes back when a
/// connection ends; 5,000 connect/disconnect cycles leave nothing behind.
/// </summary>
public sealed class ConnectionLimitTests
{
    private static Task<GatewayServer> StartAsync(Action<GatewayOptions> configure) =>
        GatewayServer.StartAsync(
            g => g.AddGateway<HardeningGateway>(),
            configure,
            configureApp: app => app.Use((context, next) =>
            {
                // A stand-in for authentication: ?user=alice signs the request in as alice.
                if (context.Request.Query["user"] is [{ } user])
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "test"));
                }

                return next(context);
            }));

    private static MetricCollector<long> CollectRejections(GatewayServer server) =>
        new(server.Services.GetRequiredService<IMeterFactory>(), "Gateway", "gateway.server.connections.rejected");

    private static long Rejected(MetricCollector<long> rejections, string reason) =>
        rejections.GetMeasurementSnapshot().Where(m => Equals(m.Tags["gateway.reject.reason"], reason)).Sum(m => m.Value);

    /// <summary>Connects from <paramref name="localAddress"/>; returns the socket, or null and the refusing status code.</summary>
    private static async Task<(ClientWebSocket? Socket, HttpStatusCode Status)> TryConnectAsync(
        GatewayServer server, string query = "", string localAddress = "127.0.0.1")
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    tcp.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await tcp.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        (TestClient? client, HttpStatusCode status) = await TestClient.TryConnectAsync(
            new Uri(server.Url("/hardening") + query), invoker: new HttpMessageInvoker(handler));
        if (client is not null)
        {
            await AssertServesAsync(client.Socket);
        }

        return (client?.Socket, status);
    }

    private static async Task AssertServesAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        await socket.SendAsync("""{"event":"echo","data":"ok"}"""u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        byte[] buffer = new byte[64];
        ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
        Assert.Equal("\"ok\"", System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    private static Task WaitForCountAsync(GatewayServer server, int count)
    {
        IGatewayServer<HardeningGateway> gateway = server.Services.GetRequiredService<IGatewayServer<HardeningGateway>>();
        return Eventually.HoldsAsync(() => gateway.ConnectionCount == count);
    }

    [Fact]
    public async Task A_full_gateway_refuses_with_503_until_a_connection_ends()
    {
        await using GatewayServer server = await StartAsync(o => o.MaxConnections = 3);
        using MetricCollector<long> rejections = CollectRejections(server);
        var open = new List<ClientWebSocket>();
        for (int i = 0; i < 3; i++)
        {
            (ClientWebSocket? socket, _) = await TryConnectAsync(server);
            open.Add(socket!);
        }

        (ClientWebSocket? refused, HttpStatusCode status) = await TryConnectAsync(server);
        Assert.Null(refused);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(1, Rejected(rejections, "gateway_full"));

        await open[0].CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        open[0].Dispose();
        await WaitForCountAsync(server, 2);
        (ClientWebSocket? again, _) = await TryConnectAsync(server);
        Assert.NotNull(again);
        again.Dispose();
        open.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task One_address_over_its_limit_gets_429_and_another_address_still_connects()
    {
        await using GatewayServer server = await StartAsync(o => o.MaxConnectionsPerIpAddress = 2);
        using MetricCollector<long> rejections = CollectRejections(server);
        (ClientWebSocket? first, _) = await TryConnectAsync(server);
        (ClientWebSocket? second, _) = await TryConnectAsync(server);

        (ClientWebSocket? third, HttpStatusCode status) = await TryConnectAsync(server);
        (ClientWebSocket? elsewhere, _) = await TryConnectAsync(server, localAddress: "127.0.0.2");

        Assert.Null(third);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.NotNull(elsewhere);
        Assert.Equal(1, Rejected(rejections, "ip_limit"));
        foreach (ClientWebSocket? socket in new[] { first, second, elsewhere })
        {
            socket!.Dispose();
        }
    }

    [Fact]
    public async Task A_users_connection_over_its_limit_is_closed_with_1008_and_others_are_not()
    {
        await using GatewayServer server = await StartAsync(o => o.MaxConnectionsPerUser = 1);
        using MetricCollector<long> rejections = CollectRejections(server);
        (ClientWebSocket? alice, _) = await TryConnectAsync(server, "?user=alice");
        (ClientWebSocket? bob, _) = await TryConnectAsync(server, "?user=bob");
        (ClientWebSocket? anonymous1, _) = await TryConnectAsync(server);
        (ClientWebSocket? anonymous2, _) = await TryConnectAsync(server);

        using var again = new ClientWebSocket();
        await again.ConnectAsync(server.Url("/hardening?user=alice"), CancellationToken.None);
        byte[] buffer = new byte[64];
        ValueWebSocketReceiveResult result = await again.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, again.CloseStatus);
        Assert.Equal(1, Rejected(rejections, "user_limit"));
        await AssertServesAsync(alice!);
        await WaitForCountAsync(server, 4);
        foreach (ClientWebSocket? socket in new[] { alice, bob, anonymous1, anonymous2 })
        {
            socket!.Dispose();
        }
    }

    [Fact]
    public async Task Five_thousand_connect_and_disconnect_cycles_leave_no_connection_and_no_place_behind()
    {
        // With every limit on, so that their counts are exercised too; afterwards exactly the limit fits again.
        const int Limit = 100;
        await using GatewayServer server = await StartAsync(o =>
        {
            o.MaxConnections = Limit;
            o.MaxConnectionsPerIpAddress = Limit;
            o.MaxConnectionsPerUser = Limit;
        });
        const int Lanes = 10;
        const int CyclesPerLane = 500;

        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Task.Run(async () =>
        {
            for (int i = 0; i < CyclesPerLane; i++)
            {
                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(server.Url($"/hardening?user=u{lane}"), CancellationToken.None);
                if (i % 2 == 0)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                else
                {
                    socket.Abort(); // half of them leave without a close
                }
            }
        })));

        await WaitForCountAsync(server, 0);
        var open = new List<ClientWebSocket>();
        for (int i = 0; i < Limit; i++)
        {
            (ClientWebSocket? socket, HttpStatusCode status) = await TryConnectAsync(server, "?user=u0");
            Assert.True(socket is not null, $"connection {i} of {Limit} refused with {status}: a place leaked");
            open.Add(socket);
        }

        (ClientWebSocket? beyond, HttpStatusCode refused) = await TryConnectAsync(server, "?user=u0");
        Assert.Null(beyond);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
        open.ForEach(s => s.Dispose());
    }
}
