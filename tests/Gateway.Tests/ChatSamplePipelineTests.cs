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
        Assert.Contains("""{"event":"room","data":{"room":"lobby","members":["ann"]}}""", frames);
    }
}
