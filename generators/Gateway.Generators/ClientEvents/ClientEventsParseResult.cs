using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>The parser's answer for one <c>[ClientEvents]</c> interface: the equatable model, with diagnostics beside it.</summary>
internal sealed class ClientEventsParseResult(
    ClientEventsModel model, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<JsonTypeUsage> jsonUsages, Location location)
{
    public ClientEventsModel Model { get; } = model;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>Where each of <see cref="ClientEventsModel.JsonTypes"/> is used, for GW0007.</summary>
    public ImmutableArray<JsonTypeUsage> JsonUsages { get; } = jsonUsages;

    /// <summary>The interface's identifier.</summary>
    public Location Location { get; } = location;
}
