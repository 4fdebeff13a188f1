using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A user <c>JsonSerializerContext</c> and the types its <c>[JsonSerializable]</c> attributes list.</summary>
/// <param name="FullyQualifiedName">The context class, <c>global::</c>-qualified.</param>
/// <param name="TypeKeys">Metadata keys (see <see cref="TypeRef.MetadataKey"/>) of the listed types.</param>
internal sealed record JsonContextSpec(string FullyQualifiedName, ImmutableEquatableArray<string> TypeKeys);
