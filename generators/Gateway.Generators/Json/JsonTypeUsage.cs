using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>Where the source uses a type that needs JSON metadata: where GW0007 goes when it has none.</summary>
/// <param name="MetadataKey">The type's <see cref="TypeRef.MetadataKey"/>.</param>
/// <param name="Location">The parameter, method or call that uses it.</param>
internal readonly record struct JsonTypeUsage(string MetadataKey, Location Location);
