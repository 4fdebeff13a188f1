using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A <see cref="ClientEventsModel"/> after binding its JSON types.</summary>
/// <param name="FullyQualifiedName">The interface.</param>
/// <param name="Contract">The contract ready to emit, or null when it has an error or a type without metadata.</param>
/// <param name="Missing">The types without metadata, each a GW0007.</param>
internal sealed record ClientEventsResolution(
    string FullyQualifiedName, ResolvedClientEventsSpec? Contract, ImmutableEquatableArray<JsonTypeSpec> Missing);
