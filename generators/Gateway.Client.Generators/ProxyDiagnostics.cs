using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Gateway.Client.Generators;

/// <summary>The typed client's diagnostics, beside the server generator's (docs/diagnostics.md).</summary>
internal static class ProxyDiagnostics
{
    public static readonly DiagnosticDescriptor InvalidProxyDeclaration = Create(
        "GW0022",
        "Typed client method or contract cannot be generated",
        "The typed client '{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor ProxyTypeWithoutJsonMetadata = Create(
        "GW0023",
        "Typed client type has no JSON metadata",
        "The type '{0}' of '{1}' has no JSON metadata in '{2}': add [JsonSerializable(typeof({0}))] to it");

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "GW0022" => InvalidProxyDeclaration,
        _ => ProxyTypeWithoutJsonMetadata,
    };

    private static DiagnosticDescriptor Create(string id, string title, string message) => GatewayDiagnostics.Create(id, title, message);
}
