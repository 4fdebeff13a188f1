using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>The project's send calls after binding their data types.</summary>
/// <param name="Calls">The calls to intercept: those whose data type has metadata.</param>
/// <param name="Metadata">That metadata, one entry per data type, ordered by type so names do not depend on call order.</param>
/// <param name="Missing">The data types without metadata, each a GW0007 at its first call.</param>
internal sealed record SendCallsResolution(
    ImmutableEquatableArray<SendCallSpec> Calls,
    ImmutableEquatableArray<JsonMetadataSpec> Metadata,
    ImmutableEquatableArray<JsonTypeSpec> Missing);
