using System.Collections.Immutable;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    private static void Report(SourceProductionContext context, ImmutableArray<Diagnostic> diagnostics)
    {
        foreach (Diagnostic diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// GW0007 for each type the resolver could not bind, at its first use (or at <paramref name="fallback"/>, so a
    /// missing type is reported even if no use of it was recorded).
    /// </summary>
    private static void ReportMissingJsonMetadata(
        SourceProductionContext context,
        ImmutableEquatableArray<JsonTypeSpec> missing,
        ImmutableArray<JsonTypeUsage> usages,
        Location fallback)
    {
        foreach (JsonTypeSpec type in missing)
        {
            Location location = fallback;
            foreach (JsonTypeUsage usage in usages)
            {
                if (usage.MetadataKey == type.Type.MetadataKey)
                {
                    location = usage.Location;
                    break;
                }
            }

            // The code fix adds [JsonSerializable(typeof(...))] with this key, so it never parses a display name.
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.MissingJsonMetadata, location, DiagnosticProperties.ForJsonType(type.Type.MetadataKey), type.DisplayName));
        }
    }
}
