namespace Gateway.Generators.Model;

/// <summary>
/// A type as generated code spells it.
/// </summary>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified name, with nullable annotations, for declarations.</param>
/// <param name="MetadataKey">The <c>global::</c>-qualified name without nullable reference annotations: the key of its JSON metadata.</param>
/// <param name="Identifier">A readable C# identifier for the type (<c>Int32Array</c>), for generated member names.</param>
/// <param name="CanBeNull">Whether a value of the type can be <see langword="null"/> (reference or <c>Nullable&lt;T&gt;</c>).</param>
/// <remarks>Holds strings only, so specs that contain it stay value-equatable and hold no symbols.</remarks>
internal sealed record TypeRef(string FullyQualifiedName, string MetadataKey, string Identifier, bool CanBeNull);
