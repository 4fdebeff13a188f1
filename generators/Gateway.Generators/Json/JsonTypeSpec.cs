namespace Gateway.Generators.Model;

/// <summary>A type whose JSON metadata generated code needs, as the parser recorded it.</summary>
/// <param name="Type">The type.</param>
/// <param name="DisplayName">The type as the user wrote it, for GW0007.</param>
/// <remarks>
/// Value-equatable and without a location: the parser records each such type once, on the spec side, and the
/// resolver binds exactly this list, so a type the resolver cannot bind is always one it reports.
/// </remarks>
internal sealed record JsonTypeSpec(TypeRef Type, string DisplayName);
