using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// Every GW descriptor links to its own section of docs/diagnostics.md, that section exists (the anchor GitHub
/// derives from a <c>## GW0001</c> heading), says how to fix it with an example, and the docs, the README table and
/// AnalyzerReleases.Unshipped.md list exactly the ids the generator has.
/// </summary>
public sealed partial class HelpLinkTests
{
    private static readonly string s_repositoryRoot = typeof(HelpLinkTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(static a => a.Key == "RepositoryRoot").Value!;

    // The server generator's descriptors, and the typed client generator's (internal to its own assembly, read here
    // by reflection: the test reads, the generators do not).
    private static DiagnosticDescriptor[] ServerDescriptors { get; } = DescriptorsOf(typeof(DiagnosticDescriptors));

    private static DiagnosticDescriptor[] ClientDescriptors { get; } = DescriptorsOf(
        typeof(Gateway.Client.Generators.ClientProxyGenerator).Assembly.GetType("Gateway.Client.Generators.ProxyDiagnostics", throwOnError: true)!);

    private static DiagnosticDescriptor[] Descriptors { get; } = [.. ServerDescriptors.Concat(ClientDescriptors).OrderBy(static d => d.Id, StringComparer.Ordinal)];

    private static DiagnosticDescriptor[] DescriptorsOf(Type type) => [.. type
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(static f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(static f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(static d => d.Id, StringComparer.Ordinal)];

    [Fact]
    public void EveryDescriptor_LinksToItsSectionOfTheDocs()
    {
        Dictionary<string, string> sections = Sections(File.ReadAllText(Path.Combine(s_repositoryRoot, "docs", "diagnostics.md")));

        Assert.True(Descriptors.Length >= 17, $"Only {Descriptors.Length} descriptors were found.");
        Assert.All(Descriptors, descriptor =>
        {
            string anchor = descriptor.Id.ToLowerInvariant();
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + anchor, descriptor.HelpLinkUri);
            Assert.StartsWith("docs/diagnostics.md#", descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.True(sections.TryGetValue(anchor, out string? body), $"docs/diagnostics.md has no section '#{anchor}'.");
            Assert.Contains("```csharp", body, StringComparison.Ordinal);
            Assert.Contains("Fix", body, StringComparison.Ordinal);
        });

        // No section for an id that does not exist (a renumbered or removed diagnostic).
        Assert.Equal(Descriptors.Select(static d => d.Id.ToLowerInvariant()), sections.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadmeTableAndReleaseFile_ListEveryId()
    {
        string readme = File.ReadAllText(Path.Combine(s_repositoryRoot, "README.md"));
        string releases = File.ReadAllText(Path.Combine(s_repositoryRoot, "generators", "Gateway.Generators", "AnalyzerReleases.Unshipped.md"));
        string clientReleases = File.ReadAllText(Path.Combine(s_repositoryRoot, "generators", "Gateway.Client.Generators", "AnalyzerReleases.Unshipped.md"));

        Assert.All(Descriptors, descriptor =>
        {
            Assert.Contains($"| {descriptor.Id} |", readme, StringComparison.Ordinal);
            Assert.Contains(
                $"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |",
                ClientDescriptors.Contains(descriptor) ? clientReleases : releases,
                StringComparison.Ordinal);
        });
        Assert.Contains("docs/diagnostics.md", readme, StringComparison.Ordinal);
    }

    /// <summary>The body of each <c>## heading</c>, keyed by the anchor GitHub makes of it.</summary>
    private static Dictionary<string, string> Sections(string markdown)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        MatchCollection headings = Heading().Matches(markdown);
        for (int i = 0; i < headings.Count; i++)
        {
            int start = headings[i].Index + headings[i].Length;
            int end = i + 1 < headings.Count ? headings[i + 1].Index : markdown.Length;
            sections.Add(Anchor(headings[i].Groups[1].Value), markdown[start..end]);
        }

        return sections;
    }

    // GitHub's rule: lower-case, drop punctuation other than '-' and '_', spaces become '-'.
    private static string Anchor(string heading) =>
        new string([.. heading.Trim().ToLowerInvariant().Where(static c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ')]).Replace(' ', '-');

    [GeneratedRegex(@"^## (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
