using System.Text.Json;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// Request/reply correlation (docs/protocol-extensions.md): a message with an <c>id</c> gets frames carrying it, the
/// last marked <c>"end":true</c>, whatever the handler returns or throws; a message without one gets NestJS's bytes.
/// </summary>
public sealed class CorrelationTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>().AddGateway<ErrorsGateway>().AddGateway<CorrelationGateway>(),
            o => o.MaxParallelMessagesPerConnection = 8,
            s => s.AddSingleton<Counter>());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string[]> ExchangeAsync(string path, string frame, int frames)
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url(path));
        await client.SendAsync(frame);
        string[] received = new string[frames];
        for (int i = 0; i < frames; i++)
        {
            received[i] = await client.ReceiveAsync();
        }

        return received;
    }

    [Theory]
    [InlineData("""{"event":"static","data":41,"id":"r1"}""", """{"id":"r1","data":42,"end":true}""")]
    [InlineData("""{"id":7,"event":"static","data":41}""", """{"id":7,"data":42,"end":true}""")]
    [InlineData("""{"event":"wsResponse","data":"x","id":"r2"}""", """{"event":"pop","data":"x","id":"r2","end":true}""")]
    [InlineData("""{"event":"void","data":1,"id":"r3"}""", """{"id":"r3","end":true}""")]
    [InlineData("""{"event":"task","data":1,"id":"r4"}""", """{"id":"r4","end":true}""")]
    [InlineData("""{"event":"null","id":"r5"}""", """{"id":"r5","end":true}""")]
    [InlineData("""{"event":"static","data":"nope","id":"r6"}""",
        """{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":"static","data":"nope"}},"id":"r6","end":true}""")]
    [InlineData("""{"event":"missing","id":"r7"}""",
        """{"event":"exception","data":{"status":"error","message":"Unknown event","cause":{"pattern":"missing"}},"id":"r7","end":true}""")]
    public async Task A_correlated_request_gets_one_terminal_frame_carrying_its_id(string request, string reply)
    {
        Assert.Equal([reply], await ExchangeAsync("/kinds", request, 1));
    }

    [Fact]
    public async Task Handler_errors_carry_the_id_and_end_the_request()
    {
        Assert.Equal(
            ["""{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"crash"}},"id":"c","end":true}"""],
            await ExchangeAsync("/errors", """{"event":"crash","id":"c"}""", 1));
        Assert.Equal(
            ["""{"event":"exception","data":{"code":42,"reason":"bad"},"id":"o","end":true}"""],
            await ExchangeAsync("/errors", """{"event":"wsObject","id":"o"}""", 1));
    }

    [Fact]
    public async Task A_stream_sends_each_item_with_the_id_then_an_end_marker_and_a_failing_stream_ends_with_its_error()
    {
        Assert.Equal(
            ["""{"id":"s","data":"item0"}""", """{"id":"s","data":"item2"}""", """{"id":"s","end":true}"""],
            await ExchangeAsync("/kinds", """{"event":"stream","data":3,"id":"s"}""", 3));
        Assert.Equal(
            ["""{"id":"f","data":1}""",
             """{"event":"exception","data":{"status":"error","message":"stream broke","cause":{"pattern":"streamCrash"}},"id":"f","end":true}"""],
            await ExchangeAsync("/errors", """{"event":"streamCrash","id":"f"}""", 2));
    }

    [Fact]
    public async Task Parallel_requests_answered_out_of_order_each_carry_their_own_id()
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/correlation"));
        int[] delays = [300, 10, 150, 0, 60];
        for (int i = 0; i < delays.Length; i++)
        {
            await client.SendAsync($$"""{"event":"after","data":{{delays[i]}},"id":"q{{i}}"}""");
        }

        var replies = new Dictionary<string, int>();
        var order = new List<string>();
        for (int i = 0; i < delays.Length; i++)
        {
            using JsonDocument reply = JsonDocument.Parse(await client.ReceiveAsync());
            string id = reply.RootElement.GetProperty("id").GetString()!;
            Assert.True(reply.RootElement.GetProperty("end").GetBoolean());
            replies.Add(id, reply.RootElement.GetProperty("data").GetInt32());
            order.Add(id);
        }

        Assert.Equal(Enumerable.Range(0, delays.Length).ToDictionary(static i => $"q{i}", i => delays[i]), replies);
        // Not a timing assertion: the replies carry their ids whatever order they come in; this shows they did not
        // simply come back in request order (the 300 ms request cannot finish before the 0 ms one).
        Assert.NotEqual(Enumerable.Range(0, delays.Length).Select(static i => $"q{i}"), order);
    }

    [Fact]
    public async Task Without_an_id_the_replies_are_NestJS_bytes_and_the_option_turns_ids_off()
    {
        Assert.Equal(["42"], await ExchangeAsync("/kinds", """{"event":"static","data":41}""", 1));
        Assert.Equal(["\"item0\"", "\"item2\""], await ExchangeAsync("/kinds", """{"event":"stream","data":3}""", 2));
        Assert.Equal(["""{"event":"pop","data":"x"}"""], await ExchangeAsync("/kinds", """{"event":"wsResponse","data":"x","id":{"not":"an id"}}""", 1));

        await using GatewayServer plain = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>(), o => o.CorrelationIds = false, s => s.AddSingleton<Counter>());
        using TestClient client = await TestClient.ConnectAsync(plain.Url("/kinds"));
        Assert.Equal("42", await client.AskAsync("""{"event":"static","data":41,"id":"r1"}"""));
    }
}
