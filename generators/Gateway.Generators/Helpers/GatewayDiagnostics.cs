using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Helpers;

/// <summary>How every GW descriptor is made, in both generators (the client's links this file).</summary>
internal static class GatewayDiagnostics
{
    public const string Category = "Gateway";

    /// <summary>
    /// Where each id is explained: its section of docs/diagnostics.md (anchor <c>#gw0001</c>), written relative to the
    /// repository root as the README's links are, until the project has a published home; change it here only.
    /// A test checks that every descriptor links to a section that exists.
    /// </summary>
    public const string HelpLinkBase = "docs/diagnostics.md#";

    public static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + "gw" + id.Substring(2));
}
