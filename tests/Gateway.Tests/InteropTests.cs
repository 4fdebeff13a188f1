using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// The article's own client, the npm <c>ws</c> package under Node, against the real Events sample process.
/// Needs Node and <c>npm ci</c> in tests/Gateway.Tests/node (.ci/run does both); without them this fails.
/// </summary>
public sealed partial class InteropTests : IAsyncLifetime
{
    private static readonly string s_nodeDirectory = ChildProcess.AssemblyMetadata("NodeClientDirectory");
    private ChildProcess _sample = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        string sample = ChildProcess.AssemblyMetadata("EventsSample");
        Assert.True(File.Exists(sample), $"The Events sample is not built at {sample}.");
        _sample = ChildProcess.Start(
            "dotnet",
            [sample, "--urls", "http://127.0.0.1:0"],
            Path.GetDirectoryName(sample)!,
            line => ListeningOn().Match(line) is { Success: true } m ? m.Groups[1].Value : null);
        string http = await _sample.WaitForMatchAsync();
        _url = "ws" + http["http".Length..] + "/";
    }

    public async Task DisposeAsync() => await _sample.DisposeAsync();

    [Fact]
    public async Task The_articles_client_gets_the_articles_answers()
    {
        string output = await RunNodeAsync("article-client.js");

        Assert.Equal(["connected", """{"event":"events","data":[1,2,3]}""", "5", "closed 1000"], Lines(output));
    }

    [Fact]
    public async Task The_spec_transcript_over_npm_ws_matches_frame_for_frame()
    {
        string output = await RunNodeAsync("transcript.js");

        // The same file is what CI compares the Native AOT build's answers against.
        string expected = await File.ReadAllTextAsync(Path.Combine(s_nodeDirectory, "transcript.expected.txt"));
        Assert.Equal(
            Lines(expected),
            Lines(output));
    }

    private async Task<string> RunNodeAsync(string script)
    {
        Assert.True(
            Directory.Exists(Path.Combine(s_nodeDirectory, "node_modules", "ws")),
            $"npm packages are missing: run 'npm ci' in {s_nodeDirectory}.");
        await using ChildProcess node = ChildProcess.Start("node", [script, _url], s_nodeDirectory);
        int exitCode = await node.WaitForExitAsync();
        Assert.True(exitCode == 0, $"node {script} exited with {exitCode}:\n{node.Output}\nServer output:\n{_sample.Output}");
        return node.Output;
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
