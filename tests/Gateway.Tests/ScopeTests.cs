using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>Handler services come from a DI scope per message, disposed when the handler completes.</summary>
public sealed class ScopeTests
{
    private static Task<GatewayServer> StartAsync(ProbeLog log, int parallel = 1) => GatewayServer.StartAsync(
        g => g.AddGateway<ScopesGateway>(),
        o => o.MaxParallelMessagesPerConnection = parallel,
        s => s.AddSingleton(log).AddScoped<ScopedProbe>().AddSingleton<SingletonProbe>());

    private static async Task<string> RequestAsync(TestClient client, string frame)
    {
        await client.SendAsync(frame);
        return await client.ReceiveAsync();
    }

    [Fact]
    public async Task A_scoped_service_is_new_for_every_message_and_disposed_when_its_handler_completes()
    {
        var log = new ProbeLog();
        await using GatewayServer server = await StartAsync(log);
        using TestClient client = await server.ConnectAsync("/scopes");

        // Messages of one connection run one after the other, so a message is dispatched only after the previous
        // handler's scope was disposed: "probes" sees every earlier probe disposed.
        Assert.Equal("1", await RequestAsync(client, """{"event":"scoped"}"""));
        Assert.Equal("[1,1]", await RequestAsync(client, """{"event":"probes"}"""));
        Assert.Equal("2", await RequestAsync(client, """{"event":"scoped"}"""));
        Assert.Equal("3", await RequestAsync(client, """{"event":"later"}"""));
        Assert.Equal("[3,3]", await RequestAsync(client, """{"event":"probes"}"""));

        using TestClient other = await server.ConnectAsync("/scopes");
        Assert.Equal("4", await RequestAsync(other, """{"event":"scoped"}"""));
        Assert.Equal("[4,4]", await RequestAsync(client, """{"event":"probes"}"""));
    }

    [Fact]
    public async Task The_scope_of_a_streaming_or_failing_handler_is_disposed_after_it_ends()
    {
        var log = new ProbeLog();
        await using GatewayServer server = await StartAsync(log);
        using TestClient client = await server.ConnectAsync("/scopes");

        await client.SendAsync("""{"event":"stream"}""");
        Assert.Equal("1", await client.ReceiveAsync());
        Assert.Equal("1", await client.ReceiveAsync());
        Assert.Equal("[1,1]", await RequestAsync(client, """{"event":"probes"}"""));

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"probe 2","cause":{"pattern":"throw"}}}""",
            await RequestAsync(client, """{"event":"throw"}"""));
        Assert.Equal("[2,2]", await RequestAsync(client, """{"event":"probes"}"""));

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"throwLater"}}}""",
            await RequestAsync(client, """{"event":"throwLater"}"""));
        Assert.Equal("[3,3]", await RequestAsync(client, """{"event":"probes"}"""));
    }

    [Fact]
    public async Task Parallel_handlers_of_one_connection_get_separate_scopes()
    {
        var log = new ProbeLog { Expected = 2 };
        await using GatewayServer server = await StartAsync(log, parallel: 2);
        using TestClient client = await server.ConnectAsync("/scopes");

        // Both handlers are inside "meet" at once (neither returns before the other arrived), each with its probe.
        await client.SendAsync("""{"event":"meet"}""");
        await client.SendAsync("""{"event":"meet"}""");
        string[] ids = [await client.ReceiveAsync(), await client.ReceiveAsync()];
        Array.Sort(ids, StringComparer.Ordinal);

        Assert.Equal(["1", "2"], ids);
        Assert.Equal(2, log.Created);
    }

    [Fact]
    public async Task A_singleton_is_shared_by_every_message_and_connection()
    {
        var log = new ProbeLog();
        await using GatewayServer server = await StartAsync(log);
        int singleton = server.Services.GetRequiredService<SingletonProbe>().Id;
        using TestClient a = await server.ConnectAsync("/scopes");
        using TestClient b = await server.ConnectAsync("/scopes");

        string expected = singleton.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, await RequestAsync(a, """{"event":"singleton"}"""));
        Assert.Equal(expected, await RequestAsync(a, """{"event":"singleton"}"""));
        Assert.Equal(expected, await RequestAsync(b, """{"event":"singleton"}"""));
        Assert.Equal([0, 0], [log.Created, log.Disposed]);
    }
}
