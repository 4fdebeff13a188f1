using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>
/// What the parser returns for one gateway: the spec (null when the gateway cannot be generated) and, beside
/// it, what the diagnostics pipeline needs. Only <see cref="Spec"/> flows into code generation, so the
/// locations here never defeat caching.
/// </summary>
internal sealed class GatewayParseResult(
    GatewaySpec? spec,
    ImmutableArray<Diagnostic> diagnostics,
    ImmutableArray<JsonTypeUsage> jsonTypes,
    ImmutableArray<EventClaim> events)
{
    public GatewaySpec? Spec { get; } = spec;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    public ImmutableArray<JsonTypeUsage> JsonTypes { get; } = jsonTypes;

    public ImmutableArray<EventClaim> Events { get; } = events;
}

/// <summary>A payload or result type that needs JSON metadata, and where the gateway uses it.</summary>
internal readonly record struct JsonTypeUsage(string MetadataKey, string DisplayName, Location Location);

/// <summary>An event a gateway handles on a path, and where.</summary>
internal readonly record struct EventClaim(string Path, string Event, string Gateway, Location Location);
