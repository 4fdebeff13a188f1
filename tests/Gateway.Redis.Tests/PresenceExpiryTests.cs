using System.Text.Json;
using Gateway.Redis.Tests.Infrastructure;

namespace Gateway.Redis.Tests;

/// <summary>A node that dies without cleaning up disappears from presence after the expiry, and its keys are removed.</summary>
public sealed class PresenceExpiryTests
{
    [Fact]
    public async Task A_node_killed_without_cleanup_disappears_from_presence_after_the_expiry()
    {
        await using RedisServer redis = RedisServer.FromEnvironment();
        string prefix = "expiry-" + Guid.NewGuid().ToString("N")[..8];
        void Fast(RedisBackplaneOptions options)
        {
            options.ChannelPrefix = prefix;
            options.PresenceExpiry = TimeSpan.FromSeconds(1);
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        }

        await using ClusterNode survivor = await ClusterNode.StartAsync(redis.Endpoint, Fast);
        await using ClusterNode victim = await ClusterNode.StartAsync(redis.Endpoint, Fast);
        await using ClusterClient a = await survivor.ConnectAsync("alice");
        await using ClusterClient b1 = await victim.ConnectAsync("bob");
        await using ClusterClient b2 = await victim.ConnectAsync();
        foreach (ClusterClient client in new[] { a, b1, b2 })
        {
            await client.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = "r" }));
            Assert.Equal("true", await client.ReceiveAsync());
        }

        string[] everyone = [.. new[] { a.Id, b1.Id, b2.Id }.Order(StringComparer.Ordinal)];
        await Eventually.TrueAsync(async () => (await survivor.Presence.GetRoomMembersAsync("r")).SequenceEqual(everyone), "all three members are listed");
        // Read until they hold, like the member list: with the 1 s expiry this test uses to be quick, a loaded machine can
        // delay the victim's heartbeat past its expiry for a moment, and a single read then sees no live node (seen in CI).
        await Eventually.TrueAsync(async () => (await survivor.Presence.GetUserConnectionsAsync("bob")).SequenceEqual([b1.Id]), "bob's connection is listed");
        await Eventually.TrueAsync(async () => (await survivor.Presence.GetRoomsAsync(b2.Id)).SequenceEqual(["r"]), "the second connection's room is listed");

        string victimId = victim.Backplane.NodeId;
        await victim.Backplane.AbandonAsync();

        // Its connections are still open on the dead node's host, but the cluster no longer lists them.
        string[] survivors = [a.Id];
        await Eventually.TrueAsync(async () => (await survivor.Presence.GetRoomMembersAsync("r")).SequenceEqual(survivors), "the dead node's members disappear");
        Assert.Empty(await survivor.Presence.GetUserConnectionsAsync("bob"));
        Assert.Empty(await survivor.Presence.GetRoomsAsync(b2.Id));
        // The survivor's own heartbeat can be as late as the victim's was above (1 s expiry, loaded machine; seen in CI).
        await Eventually.TrueAsync(async () => (await survivor.Presence.GetRoomsAsync(a.Id)).SequenceEqual(["r"]), "the survivor's member keeps its room");

        // The survivor's heartbeat deletes the dead node's keys.
        StackExchange.Redis.IDatabase db = survivor.Backplane.Redis!.GetDatabase();
        RedisKeys keys = survivor.Backplane.Keys;
        await Eventually.TrueAsync(async () => !await db.SetContainsAsync(keys.Nodes, victimId), "the dead node is removed from the node set");
        Assert.False(await db.KeyExistsAsync(keys.Connection(ClusterGateway.Path, b1.Id)));
        Assert.False(await db.KeyExistsAsync(keys.NodeConnections(victimId)));
        Assert.Equal([RedisKeys.Member(survivor.Backplane.NodeId, a.Id)], [.. (await db.SetMembersAsync(keys.RoomMembers(ClusterGateway.Path, "r"))).Select(v => v.ToString())]);
        Assert.True(survivor.Logs.Has(Microsoft.Extensions.Logging.LogLevel.Information, nameof(RedisBackplane)));
    }
}
