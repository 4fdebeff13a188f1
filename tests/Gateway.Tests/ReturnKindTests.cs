using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>What each handler return kind and parameter source puts on the wire (spec section 3).</summary>
public sealed class ReturnKindTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private TestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>(),
            services: s => s.AddSingleton<Counter>());
        _client = await _server.ConnectAsync("/kinds");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Void_Task_and_ValueTask_handlers_run_and_send_nothing()
    {
        await _client.SendAsync("""{"event":"void","data":1}""");
        await _client.SendAsync("""{"event":"task","data":10}""");
        await _client.SendAsync("""{"event":"valueTask","data":100}""");
        await _client.SendAsync("""{"event":"count"}""");

        Assert.Equal("111", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Awaited_values_are_sent_as_plain_json()
    {
        await _client.SendAsync("""{"event":"taskOfT","data":"hey"}""");
        Assert.Equal("\"hey!\"", await _client.ReceiveAsync());

        await _client.SendAsync("""{"event":"valueTaskOfT","data":1.25}""");
        Assert.Equal("2.5", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task WsResponse_is_sent_as_an_event_envelope()
    {
        await _client.SendAsync("""{"event":"wsResponse","data":"x"}""");
        Assert.Equal("""{"event":"pop","data":"x"}""", await _client.ReceiveAsync());

        await _client.SendAsync("""{"event":"taskWsResponse"}""");
        Assert.Equal("""{"event":"list","data":[4,5]}""", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Async_streams_send_one_frame_per_non_null_item()
    {
        await _client.SendAsync("""{"event":"stream","data":4}""");

        Assert.Equal("\"item0\"", await _client.ReceiveAsync());
        Assert.Equal("\"item2\"", await _client.ReceiveAsync());
        Assert.Equal("\"item3\"", await _client.ReceiveAsync());
        await _client.SendAsync("""{"event":"zero"}""");
        Assert.Equal("0", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Null_sends_nothing_but_falsy_values_are_sent()
    {
        await _client.SendAsync("""{"event":"null"}""");
        await _client.SendAsync("""{"event":"false"}""");
        Assert.Equal("false", await _client.ReceiveAsync());
        await _client.SendAsync("""{"event":"zero"}""");
        Assert.Equal("0", await _client.ReceiveAsync());
        await _client.SendAsync("""{"event":"empty"}""");
        Assert.Equal("\"\"", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Static_handlers_and_records_from_a_user_context_work()
    {
        await _client.SendAsync("""{"event":"static","data":41}""");
        Assert.Equal("42", await _client.ReceiveAsync());

        await _client.SendAsync("""{"event":"record","data":{"nick":"ann","text":"hi"}}""");
        Assert.Equal("""{"nick":"ann","text":"HI"}""", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Message_body_properties_bind_by_exact_name_and_null_when_missing()
    {
        await _client.SendAsync("""{"event":"property","data":{"age":7,"nick":"bo","other":[1]}}""");
        Assert.Equal("\"bo:7\"", await _client.ReceiveAsync());

        // Both parameters take null (string?, int?); a missing one that does not is an invalid payload (PayloadTests).
        await _client.SendAsync("""{"event":"property","data":{"Nick":"wrong case"}}""");
        Assert.Equal("\":\"", await _client.ReceiveAsync());

        await _client.SendAsync("""{"event":"property"}""");
        Assert.Equal("\":\"", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task JsonElement_payloads_round_trip_untouched()
    {
        await _client.SendAsync("""{"event":"json","data":{"a":[1,"two",null],"b":{"c":true}}}""");
        Assert.Equal("""{"a":[1,"two",null],"b":{"c":true}}""", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Connection_parameters_and_services_are_bound()
    {
        await _client.SendAsync("""{"event":"context"}""");
        Assert.Equal("\"True|/kinds|False|True|True|True\"", await _client.ReceiveAsync());
    }

    [Fact]
    public async Task Handlers_can_push_events_to_their_client()
    {
        await _client.SendAsync("""{"event":"push","data":"yo"}""");
        Assert.Equal("""{"event":"pushed","data":"yo"}""", await _client.ReceiveAsync());
        Assert.Equal("""{"event":"pushed-record","data":{"nick":"server","text":"yo"}}""", await _client.ReceiveAsync());
    }
}
