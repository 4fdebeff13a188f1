using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Redis.Tests.Infrastructure;
using Gateway.Tests.Infrastructure;

namespace Gateway.Redis.Tests;

/// <summary>samples/Chat run as two processes behind one Redis, as the README's "Scale out" section shows.</summary>
public sealed partial class ChatSampleTests
{
    private static async Task<(ChildProcess Process, Uri Url)> StartChatAsync(string redis)
    {
        string sample = ChildProcess.AssemblyMetadata("ChatSample");
        Assert.True(File.Exists(sample), $"The sample is not built at {sample}.");
        ChildProcess process = ChildProcess.Start(
            "dotnet",
            [sample, "--urls", "http://127.0.0.1:0", $"--Gateway:Redis={redis}"],
            Path.GetDirectoryName(sample)!,
            line => ListeningOn().Match(line) is { Success: true } m ? m.Groups[1].Value : null);
        string url = await process.WaitForMatchAsync();
        return (process, new Uri(new UriBuilder(url) { Scheme = "ws" }.Uri, "/chat"));
    }

    [Fact]
    public async Task A_message_said_on_one_instance_reaches_a_client_of_the_other()
    {
        await using RedisServer redis = RedisServer.FromEnvironment();
        (ChildProcess one, Uri oneUrl) = await StartChatAsync(redis.Endpoint);
        await using ChildProcess _1 = one;
        (ChildProcess two, Uri twoUrl) = await StartChatAsync(redis.Endpoint);
        await using ChildProcess _2 = two;
        string room = "lobby-" + Guid.NewGuid().ToString("N")[..6];

        await using ClusterClient alice = await ClusterClient.ConnectRawAsync(oneUrl);
        await alice.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = new { nick = "alice", room } }));
        await using ClusterClient bob = await ClusterClient.ConnectRawAsync(twoUrl);
        await bob.SendAsync(JsonSerializer.Serialize(new { @event = "join", data = new { nick = "bob", room } }));

        string said = JsonSerializer.Serialize(new { @event = "message", data = new { nick = "bob", room, text = "hi" } });
        await Eventually.TrueAsync(async () =>
        {
            await bob.SendAsync(JsonSerializer.Serialize(new { @event = "say", data = "hi" }));
            await Task.Delay(100);
            return alice.Drain().Contains(said);
        }, $"alice on instance one hears bob from instance two\n{one.Output}\n{two.Output}");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
