using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// The Chat sample in headless Chromium, driven by playwright-core: pages use the browser's own WebSocket or socket.io-client. The browser
/// ships inside the npm package @sparticuz/chromium, which the test project's build restores; the environment variable
/// CHROMIUM_PATH selects a system Chromium instead. It never skips.
/// </summary>
[Collection(nameof(HeavyProcesses))]
public sealed class BrowserTests
{
    [Theory]
    [InlineData("", "")] // the browser's WebSocket, NestJS's ws protocol
    [InlineData("?transport=socket.io", "?transport=socket.io")] // socket.io-client (long-polling, then WebSocket)
    [InlineData("", "?transport=socket.io")] // bob on socket.io-client in the same room as ann on the ws protocol
    public async Task Two_users_in_a_room_see_each_others_messages_and_a_third_room_does_not(string annQuery, string bobQuery)
    {
        (ChildProcess sample, string url) = await SampleProcess.StartAsync("ChatSample");
        await using (sample)
        {
            string output = await SampleProcess.RunNodeAsync("chat-browser.js", sample, url + "/" + annQuery, url + "/" + bobQuery);

            Dictionary<string, string[]> pages = SampleProcess.Lines(output)
                .Select(line => JsonDocument.Parse(line).RootElement)
                .ToDictionary(
                    page => page.GetProperty("page").GetString()!,
                    page => page.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToArray());
            Assert.Equal(["ann joined", "bob joined", "ann: hello red"], pages["ann"]);
            Assert.Equal(["bob joined", "ann: hello red"], pages["bob"]);
            Assert.Equal(["cat joined", "cat: hello blue"], pages["cat"]);
        }
    }

    /// <summary>
    /// The page on the TypeScript client through a network drop (a TCP proxy that cuts its connections): the server
    /// keeps the connection, and when the network is back the page resumes it without a reload or a rejoin; what was
    /// said meanwhile arrives once, what was typed goes out once, and the other user never saw anyone leave.
    /// </summary>
    [Fact]
    public async Task A_page_that_loses_the_network_resumes_its_connection_and_misses_nothing()
    {
        string output = await SampleProcess.RunNodeAsync("chat-drop.js", null, ChildProcess.AssemblyMetadata("ChatSample"));

        Dictionary<string, JsonElement> pages = SampleProcess.Lines(output)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(page => page.GetProperty("page").GetString()!);
        string[] Lines(string page, string property) =>
            [.. pages[page].GetProperty(property).EnumerateArray().Select(m => m.GetString()!)];

        Assert.Equal(["ann: one", "ann: typed while away", "bob: while ann is away", "bob: after"], Lines("ann", "messages"));
        Assert.Equal(["ann: one", "bob: while ann is away", "ann: typed while away", "bob: after"], Lines("bob", "messages"));
        // Nobody left and came back: the presence lines are those of the first joins only.
        Assert.Equal(["ann joined", "bob joined"], Lines("ann", "system"));
        Assert.Equal(["bob joined"], Lines("bob", "system"));
        foreach (string page in (string[])["ann", "bob"])
        {
            Assert.Equal("online", pages[page].GetProperty("state").GetString());
            Assert.Empty(Lines(page, "pending"));
            Assert.Empty(Lines(page, "failed"));
        }
    }

    /// <summary>
    /// The page on the TypeScript client through a server restart, without a reload: what is said while the server is
    /// down waits (shown as sending), and once it is back every line is there exactly once, in each page's order;
    /// then the page at desktop and phone width (no horizontal scrolling, a long word wrapped), saved as screenshots
    /// in TestResults/screenshots.
    /// </summary>
    [Fact]
    public async Task Two_users_keep_chatting_through_a_server_restart_and_nothing_is_lost_or_doubled()
    {
        string screenshots = Path.GetFullPath(Path.Combine(SampleProcess.NodeDirectory, "..", "..", "..", "TestResults", "screenshots"));
        Directory.CreateDirectory(screenshots);
        foreach (string old in Directory.GetFiles(screenshots, "chat-*.png"))
        {
            File.Delete(old);
        }

        string output = await SampleProcess.RunNodeAsync("chat-restart.js", null, ChildProcess.AssemblyMetadata("ChatSample"), screenshots);

        Dictionary<string, JsonElement> pages = SampleProcess.Lines(output)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(page => page.GetProperty("page").GetString()!);
        string[] Lines(string page, string property) =>
            [.. pages[page].GetProperty(property).EnumerateArray().Select(m => m.GetString()!)];

        Assert.Equal("reconnecting", pages["ann-while-down"].GetProperty("state").GetString());
        Assert.Equal(["ann: while down"], Lines("ann-while-down", "pending"));

        string longWord = new('w', 160);
        Assert.Equal(["ann: one", "bob: two", "ann: while down", "bob: also while down", $"bob: {longWord}", "ann: after"], Lines("ann", "messages"));
        Assert.Equal(["ann: one", "bob: two", "bob: also while down", "ann: while down", $"bob: {longWord}", "ann: after"], Lines("bob", "messages"));
        foreach (string page in (string[])["ann", "bob"])
        {
            Assert.Equal("online", pages[page].GetProperty("state").GetString());
            Assert.Empty(Lines(page, "pending"));
            Assert.Empty(Lines(page, "failed"));
        }

        Assert.True(pages["ann-phone"].GetProperty("overflow").GetInt32() <= 0, "the page scrolls sideways at 390 px");
        foreach (string name in (string[])["chat-desktop.png", "chat-phone.png"])
        {
            byte[] png = await File.ReadAllBytesAsync(Path.Combine(screenshots, name));
            Assert.True(png.Length > 1000 && png.AsSpan(0, 8).SequenceEqual((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), $"{name} is not a PNG");
        }
    }
}
