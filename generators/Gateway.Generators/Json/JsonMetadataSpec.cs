namespace Gateway.Generators.Model;

/// <summary>Where generated code gets the <c>JsonTypeInfo&lt;T&gt;</c> of one type.</summary>
/// <param name="Type">The type.</param>
/// <param name="ContextName">The <c>global::</c>-qualified <c>JsonSerializerContext</c> that holds its metadata.</param>
/// <param name="FieldName">The name of the cached field in the generated file.</param>
internal sealed record JsonMetadataSpec(TypeRef Type, string ContextName, string FieldName);
