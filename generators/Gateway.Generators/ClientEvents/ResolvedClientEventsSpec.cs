using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A client events contract whose every data type has JSON metadata; ready to emit.</summary>
internal sealed record ResolvedClientEventsSpec(ClientEventsSpec Contract, ImmutableEquatableArray<JsonMetadataSpec> JsonMetadata);
