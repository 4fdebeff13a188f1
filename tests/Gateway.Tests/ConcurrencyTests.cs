using System.Globalization;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task A_hundred_concurrent_clients_each_get_only_their_own_replies()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ArticleGateway>());
        const int Clients = 100;
        const int MessagesEach = 20;

        TestClient[] clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => server.ConnectAsync()));
        try
        {
            await Task.WhenAll(clients.Select(async (client, index) =>
            {
                for (int i = 0; i < MessagesEach; i++)
                {
                    int value = (index * 1000) + i;
                    await client.SendAsync($$"""{"event":"identity","data":{{value}}}""");
                }

                for (int i = 0; i < MessagesEach; i++)
                {
                    string expected = ((index * 1000) + i).ToString(CultureInfo.InvariantCulture);
                    Assert.Equal(expected, await client.ReceiveAsync());
                }
            }));
        }
        finally
        {
            foreach (TestClient client in clients)
            {
                client.Dispose();
            }
        }
    }
}
