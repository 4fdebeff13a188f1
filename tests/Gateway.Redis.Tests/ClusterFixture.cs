using Gateway.Redis.Tests.Infrastructure;

namespace Gateway.Redis.Tests;

/// <summary>Three Gateway nodes in this process behind one Redis (embedded Garnet, or GATEWAY_TEST_REDIS).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public ClusterNode[] Nodes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Redis = RedisServer.FromEnvironment();
        Nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ClusterNode.StartAsync(Redis.Endpoint)));
    }

    public async Task DisposeAsync()
    {
        foreach (ClusterNode node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
