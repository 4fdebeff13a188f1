using System.Text.Json;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// <c>[ValidatableType]</c> payloads are validated with Microsoft.Extensions.Validation (its generated code, no
/// reflection) before the handler runs; a failure is an exception frame listing every failed member by its JSON path,
/// and the connection stays open.
/// </summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<ValidationGateway>(),
            services: services => services.AddValidation().AddFakeLogging());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_invalid_payload_gets_every_failed_member_by_its_json_path_and_the_handler_does_not_run()
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/validation"));
        const string data = """{"name":"x","quantity":0,"shipTo":{},"lines":[{"qty":3},{"qty":9}]}""";

        string frame = await client.AskAsync($$"""{"event":"order","data":{{data}}}""");

        using JsonDocument document = JsonDocument.Parse(frame);
        JsonElement error = document.RootElement.GetProperty("data");
        Assert.Equal("exception", document.RootElement.GetProperty("event").GetString());
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Equal("Validation failed", error.GetProperty("message").GetString());
        Assert.Equal(
            [
                ("name", "The field Name must be a string with a minimum length of 2 and a maximum length of 10."),
                ("quantity", "The field Quantity must be between 1 and 100."),
                ("shipTo.city", "The City field is required."),
                ("lines[1].qty", "The field Qty must be between 1 and 5."),
            ],
            error.GetProperty("errors").EnumerateArray()
                .Select(static e => (e.GetProperty("property").GetString(), e.GetProperty("constraints").EnumerateArray().Single().GetString()))
                .OrderBy(static e => e.Item1 switch { "name" => 0, "quantity" => 1, "shipTo.city" => 2, _ => 3 }));
        Assert.Equal("order", error.GetProperty("cause").GetProperty("pattern").GetString());
        Assert.Equal(data, error.GetProperty("cause").GetProperty("data").GetRawText());

        Assert.Equal("\"placed 2 for Ada\"", await client.AskAsync("""{"event":"order","data":{"name":"Ada","quantity":2,"shipTo":{"city":"Oslo"}}}"""));
        _server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_required_member_that_is_missing_is_reported()
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/validation"));

        string frame = await client.AskAsync("""{"event":"order","data":{"quantity":1}}""");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Validation failed","errors":[{"property":"name","constraints":["The Name field is required."]}],"cause":{"pattern":"order","data":{"quantity":1}}}}""",
            frame);
    }

    [Fact]
    public async Task SkipValidation_on_the_parameter_opts_the_handler_out()
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/validation"));

        Assert.Equal("\"accepted 0\"", await client.AskAsync("""{"event":"unchecked","data":{"quantity":0}}"""));
    }

    [Fact]
    public async Task A_property_bound_alone_is_validated_and_a_missing_optional_payload_is_not()
    {
        using TestClient client = await TestClient.ConnectAsync(_server.Url("/validation"));

        string refused = await client.AskAsync("""{"event":"ship","data":{"name":"Ada","shipTo":{}}}""");

        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"Validation failed","errors":[{"property":"city","constraints":["The City field is required."]}],"cause":{"pattern":"ship","data":{"name":"Ada","shipTo":{}}}}}""",
            refused);
        Assert.Equal("\"Ada ships to Oslo\"", await client.AskAsync("""{"event":"ship","data":{"name":"Ada","shipTo":{"city":"Oslo"}}}"""));
        Assert.Equal("\"nothing\"", await client.AskAsync("""{"event":"maybe"}"""));
    }

    [Fact]
    public async Task Without_AddValidation_the_application_does_not_start_and_says_what_to_call()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => GatewayServer.StartAsync(g => g.AddGateway<ValidationGateway>()));

        Assert.Contains("AddValidation()", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway.Tests.Gateways.Order", error.Message, StringComparison.Ordinal);
    }
}
