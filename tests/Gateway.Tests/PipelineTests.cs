using System.Net.WebSockets;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Guards, interceptors and exception filters from three places (global from DI, the gateway class, the handler),
/// created by generated code and run over a real connection: their order, refusals, replaced results, filtered
/// exceptions, and a guard that refuses a connection before any hook sees it.
/// </summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    private PipelineJournal Journal => _server.Services.GetRequiredService<PipelineJournal>();

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<PipelineGateway>()
                .AddGuard<GlobalGuard>()
                .AddInterceptor<GlobalInterceptor>()
                .AddExceptionFilter<GlobalFilter>(),
            services: services => services.AddSingleton<PipelineJournal>().AddFakeLogging());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<TestClient> ConnectAsync()
    {
        TestClient client = await TestClient.ConnectAsync(_server.Url("/pipeline"));
        // The connection guard and hook run after the upgrade: a first answer means they are done.
        await client.SendAsync("""{"event":"event","data":"ready"}""");
        Assert.Equal("""{"event":"echoed","data":"ready"}""", await client.ReceiveAsync());
        Journal.Take();
        return client;
    }

    [Fact]
    public async Task Guards_and_interceptors_run_global_then_gateway_then_handler_and_unwind_in_reverse()
    {
        using TestClient client = await ConnectAsync();

        Assert.Equal("\"ok:x\"", await client.AskAsync("""{"event":"order","data":"x"}"""));

        Assert.Equal(
            [
                "guard:global:order", "guard:gateway:order", "guard:handler:order",
                "before:global", "before:gateway", "before:handler",
                "handler",
                "after:handler", "after:gateway", "after:global",
            ],
            Journal.Take());
        _server.AssertNothingLoggedAboveInformation();
    }

    [Theory]
    [InlineData("argument", "handler: bad argument", new[] { "filter:handler" })]
    [InlineData("invalid", "gateway: bad state", new[] { "filter:handler", "filter:gateway" })]
    [InlineData("timeout", "global: too slow", new[] { "filter:handler", "filter:gateway", "filter:global" })]
    public async Task Exception_filters_are_asked_handler_then_gateway_then_global_and_the_first_that_handles_sends_its_frame(
        string data, string reason, string[] asked)
    {
        using TestClient client = await ConnectAsync();

        string frame = await client.AskAsync($$"""{"event":"order","data":"{{data}}"}""");

        Assert.Equal($$$"""{"event":"failed","data":{"code":418,"reason":"{{{reason}}}"}}""", frame);
        Assert.Equal(asked, Journal.Take().Where(static e => e.StartsWith("filter:", StringComparison.Ordinal)));
        Assert.Equal("\"ok:again\"", await client.AskAsync("""{"event":"order","data":"again"}"""));
    }

    [Fact]
    public async Task An_exception_no_filter_handles_gets_the_default_frame()
    {
        using TestClient client = await ConnectAsync();

        string frame = await client.AskAsync("""{"event":"order","data":"crash"}""");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"order","data":"crash"}}}""",
            frame);
        Assert.Equal(["filter:handler", "filter:gateway", "filter:global"], Journal.Take().Where(static e => e.StartsWith("filter:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_refusing_guard_stops_the_message_with_forbidden_resource_and_the_connection_stays()
    {
        using TestClient client = await ConnectAsync();

        string denied = await client.AskAsync("""{"event":"order","data":"deny:gateway"}""");
        string[] deniedJournal = Journal.Take();
        string thrown = await client.AskAsync("""{"event":"order","data":"throw:handler"}""");
        string[] thrownJournal = Journal.Take();

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Forbidden resource","cause":{"pattern":"order","data":"deny:gateway"}}}""",
            denied);
        Assert.Equal(
            ["guard:global:order", "guard:gateway:order", "filter:handler", "filter:gateway", "filter:global"], deniedJournal);
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"handler says no","cause":{"pattern":"order","data":"throw:handler"}}}""",
            thrown);
        Assert.DoesNotContain("handler", thrownJournal);
        Assert.Equal("\"ok:after\"", await client.AskAsync("""{"event":"order","data":"after"}"""));
        _server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task Interceptors_replace_results_send_their_own_or_answer_without_calling_the_handler()
    {
        using TestClient client = await ConnectAsync();

        Assert.Equal("\"HELLO\"", await client.AskAsync("""{"event":"shout","data":"hello"}"""));
        Assert.Equal("""{"event":"shouted","data":"Quiet"}""", await client.AskAsync("""{"event":"quiet"}"""));
        Assert.Equal("16", await client.AskAsync("""{"event":"square","data":4}"""));
        Assert.Equal("16", await client.AskAsync("""{"event":"square","data":4}"""));
        Assert.Equal("9", await client.AskAsync("""{"event":"square","data":3}"""));

        Assert.Equal(["square:4", "cache:hit", "square:3"], Journal.Take().Where(static e => e.StartsWith("square", StringComparison.Ordinal) || e.StartsWith("cache", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_stream_passed_through_by_an_interceptor_still_sends_each_item()
    {
        using TestClient client = await ConnectAsync();

        await client.SendAsync("""{"event":"count","data":3}""");

        Assert.Equal(["\"n1\"", "\"n2\"", "\"n3\""], [await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync()]);
    }

    [Theory]
    [InlineData("deny", "Forbidden resource")]
    [InlineData("throw", "Not tonight")]
    public async Task A_connection_guard_refuses_before_any_hook_with_the_exception_frame_and_1008(string verdict, string message)
    {
        using TestClient client = await TestClient.ConnectAsync(new Uri(_server.Url("/pipeline") + "?guard=" + verdict));

        TestClient.Message frame = await client.ReceiveMessageAsync();
        WebSocketCloseStatus? status = await client.ReceiveCloseAsync();

        Assert.Equal(
            $$$$"""{"event":"exception","data":{"status":"error","message":"{{{{message}}}}","cause":{"pattern":"handleConnection"}}}""",
            frame.Text);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal([$"connect-guard:{verdict}"], Journal.Take());
        _server.AssertNothingLoggedAboveInformation();
    }
}
