using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// The Chat sample in headless Chromium, driven by playwright-core: pages use the browser's own WebSocket. The browser
/// ships inside the npm package @sparticuz/chromium, which the test project's build restores; the environment variable
/// CHROMIUM_PATH selects a system Chromium instead. It never skips.
/// </summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task Two_users_in_a_room_see_each_others_messages_and_a_third_room_does_not()
    {
        (ChildProcess sample, string url) = await SampleProcess.StartAsync("ChatSample");
        await using (sample)
        {
            string output = await SampleProcess.RunNodeAsync("chat-browser.js", sample, url + "/");

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
