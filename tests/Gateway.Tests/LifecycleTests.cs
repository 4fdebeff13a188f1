using System.Net.WebSockets;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>Init, connection and disconnect hooks: order and exactly-once (spec section 5).</summary>
public sealed class LifecycleTests
{
    private static Task<GatewayServer> StartAsync(HookLog log) => GatewayServer.StartAsync(
        g => g.AddGateway<HooksGateway>().AddGateway<RejectingGateway>(),
        services: s => s.AddSingleton(log));

    [Fact]
    public async Task Hooks_run_in_order_exactly_once_when_the_client_closes()
    {
        var log = new HookLog();
        await using GatewayServer server = await StartAsync(log);
        Assert.Equal(["init"], log.Entries);

        using (TestClient client = await server.ConnectAsync("/hooks?name=ann"))
        {
            await client.SendAsync("""{"event":"hello"}""");
            Assert.Equal("\"hi\"", await client.ReceiveAsync());
            await client.CloseAsync();
        }

        await log.WaitForDisconnectAsync();
        using (TestClient second = await server.ConnectAsync("/hooks?name=bo"))
        {
            await second.CloseAsync();
        }

        await log.WaitForDisconnectAsync();
        Assert.Equal(
            ["init", "connect ann", "hello", "disconnect NormalClosure no-error", "connect bo", "disconnect NormalClosure no-error"],
            log.Entries);
    }

    [Fact]
    public async Task Disconnect_runs_once_when_the_server_closes()
    {
        var log = new HookLog();
        await using GatewayServer server = await StartAsync(log);
        using TestClient client = await server.ConnectAsync("/hooks?name=c");

        await client.SendAsync("""{"event":"close"}""");
        TestClient.Message close = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close.CloseStatus);
        await client.CloseAsync();

        await log.WaitForDisconnectAsync();
        Assert.Equal(["init", "connect c", "disconnect NormalClosure no-error"], log.Entries);
    }

    [Fact]
    public async Task An_abrupt_disconnect_runs_the_hook_once_with_the_error_and_others_keep_working()
    {
        var log = new HookLog();
        await using GatewayServer server = await StartAsync(log);
        using TestClient other = await server.ConnectAsync("/hooks?name=other");
        using TestClient client = await server.ConnectAsync("/hooks?name=gone");
        await client.SendAsync("""{"event":"hello"}""");
        Assert.Equal("\"hi\"", await client.ReceiveAsync());

        client.Socket.Abort();
        await log.WaitForDisconnectAsync();

        string disconnect = Assert.Single(log.Entries, e => e.StartsWith("disconnect", StringComparison.Ordinal));
        Assert.StartsWith("disconnect none ", disconnect, StringComparison.Ordinal);
        Assert.DoesNotContain("no-error", disconnect, StringComparison.Ordinal);
        await other.SendAsync("""{"event":"hello"}""");
        Assert.Equal("\"hi\"", await other.ReceiveAsync());
    }

    [Fact]
    public async Task A_WsException_in_the_connection_hook_rejects_with_a_frame_and_1008()
    {
        var log = new HookLog();
        await using GatewayServer server = await StartAsync(log);
        using TestClient client = await server.ConnectAsync("/reject");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Unauthorized","cause":{"pattern":"handleConnection"}}}""",
            await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.ReceiveCloseAsync());

        await log.WaitForDisconnectAsync();
        Assert.Equal(["init", "disconnect PolicyViolation"], log.Entries);
    }

    [Fact]
    public async Task Any_other_exception_in_the_connection_hook_rejects_with_1011()
    {
        var log = new HookLog();
        await using GatewayServer server = await StartAsync(log);
        using TestClient client = await server.ConnectAsync("/reject?token=crash");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"handleConnection"}}}""",
            await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.InternalServerError, await client.ReceiveCloseAsync());
        await log.WaitForDisconnectAsync();
        Assert.DoesNotContain("never", log.Entries);
    }
}
