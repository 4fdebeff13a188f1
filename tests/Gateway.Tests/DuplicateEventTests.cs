using Gateway.Infrastructure;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// Two gateways from different assemblies (here: hand-written definitions, which the generator never sees) that claim
/// one event on one path fail MapGateways with GW0003's wording.
/// </summary>
public sealed class DuplicateEventTests
{
    [Fact]
    public async Task Gateways_the_generator_did_not_see_together_fail_at_startup_with_the_GW0003_wording()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using GatewayServer server = await GatewayServer.StartAsync(static g => g.AddGateway<FirstGateway>().AddGateway<SecondGateway>());
        });

        Assert.Equal(
            "The event 'ping' on path '/dup' is already handled by FirstGateway; each event of a path must have exactly one "
                + "handler (the gateway SecondGateway claims it too)",
            error.Message);
    }

    public sealed class FirstGateway : IWebSocketGateway<FirstGateway>
    {
        public static GatewayDefinition<FirstGateway> Definition { get; } = new PingDefinition<FirstGateway>(nameof(FirstGateway));
    }

    public sealed class SecondGateway : IWebSocketGateway<SecondGateway>
    {
        public static GatewayDefinition<SecondGateway> Definition { get; } = new PingDefinition<SecondGateway>(nameof(SecondGateway));
    }

    private sealed class PingDefinition<T>(string name) : GatewayDefinition<T>(name, "/dup", ["ping"])
        where T : class, new()
    {
        public override T Create(IServiceProvider services) => new();

        public override int FindHandler(ReadOnlySpan<byte> utf8EventName) => utf8EventName.SequenceEqual("ping"u8) ? 0 : -1;

        public override IReadOnlyList<string> HandlerNames { get; } = ["Ping"];

        public override ValueTask InvokeAsync(T gateway, int handler, GatewayMessage message) => default;

        public override ValueTask<object?> CallAsync(T gateway, int handler, GatewayMessage message) => default;
    }
}
