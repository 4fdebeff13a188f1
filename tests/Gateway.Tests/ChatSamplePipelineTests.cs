using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// samples/Chat's pipeline, run as the sample's own process: a validated payload (JoinRequest), a guard on "say",
/// and an exception filter that turns validation failures into one sentence the page shows.
/// </summary>
public sealed class ChatSamplePipelineTests
{

    [Fact]
    public async Task The_guard_the_validation_and_the_filter_of_the_chat_sample_answer_over_a_real_connection()
    {
        (ChildProcess sample, string url) = await SampleProcess.StartAsync("ChatSample");
        await using ChildProcess _ = sample;
        using TestClient client = await TestClient.ConnectAsync(new Uri(new UriBuilder(url) { Scheme = "ws" }.Uri, "/chat"));

        string early = await client.AskAsync("""{"event":"say","data":"hi"}""");
        string invalid = await client.AskAsync("""{"event":"join","data":{"nick":"","room":"a-room-name-far-longer-than-forty-characters"}}""");
        string joined = await client.AskAsync("""{"event":"join","data":{"nick":"ann","room":"lobby"}}""");

        Assert.Equal("""{"event":"exception","data":{"status":"error","message":"Join a room first.","cause":{"pattern":"say","data":"hi"}}}""", early);
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"The Nick field is required. The field Room must be a string with a maximum length of 40."}}""",
            invalid);
        string[] frames = [joined, await client.ReceiveAsync()];
        Assert.Contains("""{"event":"joined","data":{"nick":"ann","room":"lobby"}}""", frames);
        Assert.Contains("""{"event":"room","data":{"room":"lobby","members":["ann"],"history":[]}}""", frames);

        // A message with the page's own id, sent twice (a resend after a drop): said once.
        await client.SendAsync("""{"event":"post","data":{"id":"m1","text":"one"}}""");
        Assert.Equal("""{"event":"message","data":{"id":"m1","nick":"ann","room":"lobby","text":"one"}}""", await client.ReceiveAsync());
        await client.SendAsync("""{"event":"post","data":{"id":"m1","text":"one"}}""");
        // The next frame is the next message's: the resend sent nothing.
        await client.SendAsync("""{"event":"post","data":{"id":"m2","text":"two"}}""");
        Assert.Equal("""{"event":"message","data":{"id":"m2","nick":"ann","room":"lobby","text":"two"}}""", await client.ReceiveAsync());

        // Nicknames are unique in a room; a page that reconnects gets what it missed after the last message it has.
        using TestClient other = await TestClient.ConnectAsync(new Uri(new UriBuilder(url) { Scheme = "ws" }.Uri, "/chat"));
        Assert.Equal(
            """{"event":"exception","data":{"status":"error","message":"The nickname ann is taken in lobby.","cause":{"pattern":"join","data":{"nick":"ann","room":"lobby"}}}}""",
            await other.AskAsync("""{"event":"join","data":{"nick":"ann","room":"lobby"}}"""));
        string rejoined = await other.AskAsync("""{"event":"join","data":{"nick":"bob","room":"lobby","since":"m1"}}""");
        rejoined = rejoined.StartsWith("{\"event\":\"room\"", StringComparison.Ordinal) ? rejoined : await other.ReceiveAsync();
        Assert.Equal(
            """{"event":"room","data":{"room":"lobby","members":["ann","bob"],"history":[{"id":"m2","nick":"ann","room":"lobby","text":"two"}]}}""",
            rejoined);
    }
}
