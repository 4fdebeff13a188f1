using System.Text.Json;
using Gateway.Redis.Tests.Infrastructure;
using Gateway.Tests.Infrastructure;

namespace Gateway.Redis.Tests;

/// <summary>samples/Chat run as two processes behind one Redis, as the README's "Scale out" section shows.</summary>
public sealed class ChatSampleTests
{
    /// <returns>The process, its WebSocket URL of the chat gateway, and its http:// base URL.</returns>
    private static async Task<(ChildProcess Process, Uri Url, string Http)> StartChatAsync(string redis)
    {
        (ChildProcess process, string url) = await SampleProcess.StartAsync("ChatSample", $"--Gateway:Redis={redis}");
        return (process, new Uri(new UriBuilder(url) { Scheme = "ws" }.Uri, "/chat"), url);
    }

    [Fact]
    public async Task A_message_said_on_one_instance_reaches_a_client_of_the_other()
    {
        await using RedisServer redis = RedisServer.FromEnvironment();
        (ChildProcess one, Uri oneUrl, _) = await StartChatAsync(redis.Endpoint);
        await using ChildProcess _1 = one;
        (ChildProcess two, Uri twoUrl, _) = await StartChatAsync(redis.Endpoint);
        await using ChildProcess _2 = two;
        string room = "lobby-" + Guid.NewGuid().ToString("N")[..6];

        await using ClusterClient alice = await ClusterClient.ConnectRawAsync(oneUrl);
        await alice.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = new { nick = "alice", room } }));
        await using ClusterClient bob = await ClusterClient.ConnectRawAsync(twoUrl);
        await bob.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = new { nick = "bob", room } }));

        // Each message has an id of its own (ChatHistory); the rest is what bob said.
        string said = JsonSerializer.Serialize(new { nick = "bob", room, text = "hi" })[1..^1];
        await Eventually.TrueAsync(async () =>
        {
            await bob.SendAsync(JsonSerializer.Serialize(new { @event = "say", data = "hi" }));
            await Task.Delay(100);
            return alice.Drain().Any(frame => frame.StartsWith("{\"event\":\"message\"", StringComparison.Ordinal) && frame.Contains(said, StringComparison.Ordinal));
        }, $"alice on instance one hears bob from instance two\n{one.Output}\n{two.Output}");
    }

    /// <summary>
    /// The same page as the single-instance browser test (tests/Gateway.Tests/node/chat-browser.js), but bob's page is
    /// served by the second instance: the joins and messages of room "red" cross Redis in both directions, and room
    /// "blue" on the first instance still hears nothing of them.
    /// </summary>
    [Fact]
    public async Task Browsers_on_two_instances_chat_in_one_room()
    {
        await using RedisServer redis = RedisServer.FromEnvironment();
        (ChildProcess one, _, string oneHttp) = await StartChatAsync(redis.Endpoint);
        await using ChildProcess _1 = one;
        (ChildProcess two, _, string twoHttp) = await StartChatAsync(redis.Endpoint);
        await using ChildProcess _2 = two;

        string output = await SampleProcess.RunNodeAsync("chat-browser.js", one, oneHttp + "/", twoHttp + "/");

        Dictionary<string, string[]> pages = SampleProcess.Lines(output)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(
                page => page.GetProperty("page").GetString()!,
                page => page.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToArray());
        // A join notice crosses instances only once the other instance has subscribed to the room for its own member,
        // which it does without waiting (README "Scale out": eventual): "bob joined" can reach ann's instance before
        // it subscribed (missing), "ann joined" can reach Redis after bob's instance subscribed (present). So each
        // page may show the other instance's join notice once or not at all; every other line is exact, and the
        // message said after both joined must cross.
        Assert.Equal(["ann joined", "ann: hello red"], pages["ann"].Where(static m => m != "bob joined"));
        Assert.InRange(pages["ann"].Count(static m => m == "bob joined"), 0, 1);
        Assert.Equal(["bob joined", "ann: hello red"], pages["bob"].Where(static m => m != "ann joined"));
        Assert.InRange(pages["bob"].Count(static m => m == "ann joined"), 0, 1);
        Assert.Equal(["cat joined", "cat: hello blue"], pages["cat"]);
    }
}
