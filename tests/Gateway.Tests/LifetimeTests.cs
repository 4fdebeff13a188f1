using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// <c>GatewayLifetime.Connection</c>: each connection gets its own gateway instance from a DI scope of its own
/// (scoped constructor services included), disposed with that scope when the connection ends.
/// </summary>
public sealed class LifetimeTests
{

    [Fact]
    public async Task Each_connection_has_its_own_instance_and_scoped_services_which_are_disposed_when_it_ends()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<PerConnectionGateway>(),
            services: s => s.AddScoped<ConnectionState>().AddSingleton<LifetimeJournal>().AddFakeLogging());
        LifetimeJournal journal = server.Services.GetRequiredService<LifetimeJournal>();

        using TestClient first = await TestClient.ConnectAsync(server.Url("/mine"));
        using TestClient second = await TestClient.ConnectAsync(server.Url("/mine"));
        string a1 = await first.AskAsync("""{"event":"say","data":"a"}""");
        string b1 = await second.AskAsync("""{"event":"say","data":"b"}""");
        string a2 = await first.AskAsync("""{"event":"say","data":"c"}""");

        // Each connection's instance is created when its connection starts running, which need not be in the order
        // the handshakes completed: the states are told apart by what each connection was answered.
        ConnectionState[] all = [.. journal.States];
        Assert.Equal(2, all.Length);
        ConnectionState[] states =
        [
            Assert.Single(all, s => a1 == $"\"{s.Number}:a\""),
            Assert.Single(all, s => b1 == $"\"{s.Number}:b\""),
        ];
        Assert.NotSame(states[0], states[1]);
        Assert.Equal($"\"{states[0].Number}:a,c\"", a2);
        Assert.Empty(journal.Disposed);
        Assert.All(states, static s => Assert.False(s.IsDisposed));

        await first.CloseAsync();
        await Eventually.HoldsAsync(() => journal.Disposed.Count == 1 && states[0].IsDisposed);
        Assert.False(states[1].IsDisposed);
        server.AssertNothingLoggedAboveInformation();
    }

    [Fact]
    public async Task A_per_connection_gateway_with_an_init_hook_stops_start_up_with_a_reason()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => GatewayServer.StartAsync(g => g.AddGateway<PerConnectionInitGateway>()));

        Assert.Contains("PerConnectionInitGateway has one instance per connection", error.Message, StringComparison.Ordinal);
    }
}
