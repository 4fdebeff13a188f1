using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// The Chat sample in headless Chromium, driven by playwright-core: pages use the browser's own WebSocket or socket.io-client. The browser
/// ships inside the npm package @sparticuz/chromium, which the test project's build restores; the environment variable
/// CHROMIUM_PATH selects a system Chromium instead. It never skips.
/// </summary>
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
}
