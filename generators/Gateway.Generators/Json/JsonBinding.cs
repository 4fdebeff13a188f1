using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>The outcome of binding a list of <see cref="JsonTypeSpec"/> to existing JSON metadata.</summary>
/// <param name="Metadata">Where each bound type's metadata comes from.</param>
/// <param name="Missing">The types no context lists, in the order recorded: each one is a GW0007.</param>
/// <remarks>Value-equatable; holds no symbols or locations.</remarks>
internal sealed record JsonBinding(ImmutableEquatableArray<JsonMetadataSpec> Metadata, ImmutableEquatableArray<JsonTypeSpec> Missing)
{
    public bool IsComplete => Missing.Count == 0;
}
