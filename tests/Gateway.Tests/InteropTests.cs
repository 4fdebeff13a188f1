using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// The article's own client, the npm <c>ws</c> package under Node, against the real Events sample process.
/// Needs Node and <c>npm ci</c> in tests/Gateway.Tests/node (.ci/run does both); without them this fails.
/// </summary>
public sealed class InteropTests : IAsyncLifetime
{
    private ChildProcess _sample = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        (_sample, string http) = await SampleProcess.StartAsync("EventsSample");
        _url = "ws" + http["http".Length..] + "/";
    }

    public async Task DisposeAsync() => await _sample.DisposeAsync();

    [Fact]
    public async Task The_articles_client_gets_the_articles_answers()
    {
        string output = await SampleProcess.RunNodeAsync("article-client.js", _sample, _url);

        Assert.Equal(["connected", """{"event":"events","data":[1,2,3]}""", "5", "closed 1000"], SampleProcess.Lines(output));
    }

    [Fact]
    public async Task NestJSs_own_socket_io_sample_client_works_unchanged()
    {
        string output = await SampleProcess.RunNodeAsync("nest-socketio-client.js", _sample, "http" + _url["ws".Length..].TrimEnd('/'));

        // The order of the two answers is the server's; the client prints each as it comes.
        string[] lines = SampleProcess.Lines(output);
        Assert.Equal("Connected", lines[0]);
        Assert.Equal(["Identity: 0", "event [1,2,3]"], lines[1..3].Order(StringComparer.Ordinal));
        Assert.Equal("Disconnected", lines[3]);
    }

    [Fact]
    public async Task The_spec_transcript_over_npm_ws_matches_frame_for_frame()
    {
        string output = await SampleProcess.RunNodeAsync("transcript.js", _sample, _url);

        // The same file is what CI compares the Native AOT build's answers against.
        string expected = await File.ReadAllTextAsync(Path.Combine(SampleProcess.NodeDirectory, "transcript.expected.txt"));
        Assert.Equal(SampleProcess.Lines(expected), SampleProcess.Lines(output));
    }
}
