using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A gateway whose every payload and result type has JSON metadata; ready to emit.</summary>
/// <param name="Gateway">The gateway.</param>
/// <param name="JsonMetadata">The metadata each payload and result type binds to.</param>
internal sealed record ResolvedGatewaySpec(GatewaySpec Gateway, ImmutableEquatableArray<JsonMetadataSpec> JsonMetadata);
