using Gateway.Tests.Infrastructure;
using Gateway.Tests.Library;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>A gateway defined in a referenced class library is added by this project's generated <c>AddGateways()</c>.</summary>
public sealed class ReferencedLibraryTests
{
    [Fact]
    public void AddGateways_registers_the_gateways_of_referenced_libraries()
    {
        var services = new ServiceCollection();

        services.AddGateways();

        Assert.Contains(services, static d => d.ServiceType == typeof(LibraryGateway));
        Assert.Contains(services, static d => d.ServiceType == typeof(Gateways.ArticleGateway));
    }

    [Fact]
    public async Task A_library_gateway_added_by_its_generated_registration_serves_messages()
    {
        // The registration type AddGateways() calls for the library (the whole AddGateways() would also add this
        // project's gateways, whose services these tests do not register).
        await using GatewayServer server = await GatewayServer.StartAsync(
            static g => Gateway.Infrastructure.GeneratedGateways_Gateway_Tests_Library.AddGateways(g));
        using TestClient client = await server.ConnectAsync("/library");

        await client.SendAsync("""{"event":"where","data":"ann"}""");

        Assert.Equal("\"ann is served by a library\"", await client.ReceiveAsync());
    }
}
