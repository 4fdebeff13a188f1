using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A <see cref="GatewayModel"/> after binding its JSON types.</summary>
/// <param name="FullyQualifiedName">The gateway class.</param>
/// <param name="Gateway">The gateway ready to emit, or null when it has an error or a type without metadata.</param>
/// <param name="Missing">The types without metadata: the diagnostics output reports each as GW0007.</param>
/// <remarks>
/// <see cref="Gateway"/> is null only if the parser reported an error or <see cref="Missing"/> is not empty, so a
/// gateway is never left out without a diagnostic.
/// </remarks>
internal sealed record GatewayResolution(string FullyQualifiedName, ResolvedGatewaySpec? Gateway, ImmutableEquatableArray<JsonTypeSpec> Missing);
