using System.Globalization;
using System.Text.Json;
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

    [Fact]
    public async Task Concurrent_sends_to_one_client_never_interleave_and_keep_order_per_producer()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<BurstGateway>());
        using TestClient client = await server.ConnectAsync("/burst");
        const int Producers = 8;
        const int Frames = 200;

        await client.SendAsync($$$"""{"event":"burst","data":{"producers":{{{Producers}}},"frames":{{{Frames}}}}}""");

        int[] next = new int[Producers];
        for (int received = 0; received < Producers * Frames; received++)
        {
            using JsonDocument frame = JsonDocument.Parse(await client.ReceiveAsync());
            int producer = int.Parse(frame.RootElement.GetProperty("event").GetString()!.AsSpan(1), CultureInfo.InvariantCulture);
            string data = frame.RootElement.GetProperty("data").GetString()!;
            Assert.Equal(next[producer], int.Parse(data.TrimStart('x'), CultureInfo.InvariantCulture));
            next[producer]++;
        }

        Assert.Equal($$"""{"event":"done","data":{{Producers * Frames}}}""", await client.ReceiveAsync());
    }
}
