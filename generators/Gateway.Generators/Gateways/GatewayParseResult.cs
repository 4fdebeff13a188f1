using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>
/// The parser's answer for one gateway class: its equatable <see cref="Model"/>, and beside it what only the
/// diagnostics output needs (diagnostics, where each JSON type and event is used). Only <see cref="Model"/> flows
/// into code generation, so the locations here never defeat caching.
/// </summary>
internal sealed class GatewayParseResult(
    GatewayModel model,
    ImmutableArray<Diagnostic> diagnostics,
    ImmutableArray<JsonTypeUsage> jsonUsages,
    ImmutableArray<EventClaim> events,
    Location location)
{
    public GatewayModel Model { get; } = model;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>Where each of <see cref="GatewayModel.JsonTypes"/> is used, for GW0007.</summary>
    public ImmutableArray<JsonTypeUsage> JsonUsages { get; } = jsonUsages;

    public ImmutableArray<EventClaim> Events { get; } = events;

    /// <summary>The class's identifier: where a diagnostic about the whole gateway goes.</summary>
    public Location Location { get; } = location;
}
