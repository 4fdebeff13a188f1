using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests.Infrastructure;

/// <summary>
/// Verify-style snapshots: <c>Snapshots/{TestClass}.{TestMethod}#{HintName}.verified.cs</c> per generated file, plus
/// <c>{TestClass}.{TestMethod}.diagnostics.verified.txt</c> when the generator reports diagnostics.
/// <c>GATEWAY_ACCEPT_SNAPSHOTS=1</c> rewrites the verified files instead of comparing.
/// </summary>
internal static partial class Snapshot
{
    private static readonly string s_directory = typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(static a => a.Key == "SnapshotDirectory").Value!;

    private static bool Accept => Environment.GetEnvironmentVariable("GATEWAY_ACCEPT_SNAPSHOTS") == "1";

    public static void Verify(GeneratorDriverRunResult run, string testClass, [CallerMemberName] string testMethod = "") =>
        Verify(run.Results.Single(static r => r.Generator.GetGeneratorType() == typeof(GatewayGenerator)), $"{testClass}.{testMethod}");

    /// <summary>The snapshots of one generator's part of a run (the typed client's generator, say).</summary>
    public static void Verify(GeneratorRunResult gateway, string prefix)
    {
        var received = gateway.GeneratedSources.ToDictionary(
            s => $"{prefix}#{s.HintName}.verified.cs", static s => s.SourceText.ToString(), StringComparer.Ordinal);
        if (!gateway.Diagnostics.IsEmpty)
        {
            received[$"{prefix}.diagnostics.verified.txt"] = string.Join('\n', gateway.Diagnostics.Select(static d => d.ToString())) + "\n";
        }

        var failures = new List<string>();
        Directory.CreateDirectory(s_directory);
        foreach (string stale in Directory.EnumerateFiles(s_directory, prefix + "*.verified.*").Select(static p => Path.GetFileName(p))
            .Where(f => f[prefix.Length] is '#' or '.' && !received.ContainsKey(f)))
        {
            if (Accept) File.Delete(Path.Combine(s_directory, stale));
            else failures.Add($"{stale}: verified, but the generator no longer produces it");
        }

        foreach ((string name, string text) in received)
        {
            string path = Path.Combine(s_directory, name);
            string actual = Normalize(text);
            string receivedPath = path.Replace(".verified.", ".received.", StringComparison.Ordinal);
            if (Accept)
            {
                File.WriteAllText(path, actual);
                continue;
            }

            string[] expectedLines = File.Exists(path) ? Normalize(File.ReadAllText(path)).Split('\n') : [];
            string[] actualLines = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
                .FirstOrDefault(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i], -1);
            if (line < 0)
            {
                File.Delete(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, actual);
            failures.Add(!File.Exists(path)
                ? $"{name}: no verified snapshot; see {receivedPath}"
                : $"{name}: line {line + 1} differs\n  verified: {LineAt(expectedLines, line)}\n"
                    + $"  received: {LineAt(actualLines, line)}\n  see {receivedPath}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n(GATEWAY_ACCEPT_SNAPSHOTS=1 accepts the received output)");
    }

    private static string LineAt(string[] lines, int index) => index < lines.Length ? lines[index] : "<end of file>";

    private static string Normalize(string text) =>
        GeneratorVersion().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "$1{version}$2");

    [GeneratedRegex("""(GeneratedCode\("Gateway\.(?:Client\.)?Generators", ")[^"]*("\))""")]
    private static partial Regex GeneratorVersion();
}
