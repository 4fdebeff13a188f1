using System.Text.RegularExpressions;

namespace Gateway.Tests.Infrastructure;

/// <summary>A sample app run as its own process on an ephemeral loopback port, and the Node clients beside the tests.</summary>
public static partial class SampleProcess
{
    public static readonly string NodeDirectory = ChildProcess.AssemblyMetadata("NodeClientDirectory");

    /// <summary>
    /// Starts the built sample named by an assembly metadata key, with extra command-line arguments; returns it and
    /// its http:// base URL.
    /// </summary>
    public static async Task<(ChildProcess Process, string Url)> StartAsync(string metadataKey, params string[] arguments)
    {
        string sample = ChildProcess.AssemblyMetadata(metadataKey);
        Assert.True(File.Exists(sample), $"The sample is not built at {sample}.");
        ChildProcess process = ChildProcess.Start(
            "dotnet",
            [sample, "--urls", "http://127.0.0.1:0", .. arguments],
            Path.GetDirectoryName(sample)!,
            line => ListeningOn().Match(line) is { Success: true } m ? m.Groups[1].Value : null);
        return (process, await process.WaitForMatchAsync());
    }

    /// <summary>Runs a script of the Node folder with arguments; fails with both outputs unless it exits with 0.</summary>
    public static async Task<string> RunNodeAsync(string script, ChildProcess? server, params string[] arguments)
    {
        Assert.True(
            Directory.Exists(Path.Combine(NodeDirectory, "node_modules", "ws")),
            $"npm packages are missing in {NodeDirectory}: the test project's build restores them with 'npm ci' " +
            "(target RestoreNodeClients); build it with Node 20 and npm on the PATH, or run 'npm ci' there.");
        await using ChildProcess node = ChildProcess.Start("node", [script, .. arguments], NodeDirectory);
        int exitCode = await node.WaitForExitAsync();
        Assert.True(exitCode == 0, $"node {script} exited with {exitCode}:\n{node.Output}\nServer output:\n{server?.Output}");
        return node.Output;
    }

    public static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
