using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>What the parser hands to the resolver for one gateway class.</summary>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified class name, which pairs it with its parse result.</param>
/// <param name="Spec">The gateway, or null when the parser reported an error.</param>
/// <param name="JsonTypes">
/// Every payload and result type the generated code needs metadata for, recorded by the parser where it builds
/// each <see cref="TypeRef"/> (also when <see cref="Spec"/> is null, so GW0007 comes with the other errors).
/// </param>
/// <remarks>Value-equatable; holds no symbols or locations, so an edit inside a method body leaves it equal.</remarks>
internal sealed record GatewayModel(string FullyQualifiedName, GatewaySpec? Spec, ImmutableEquatableArray<JsonTypeSpec> JsonTypes);
