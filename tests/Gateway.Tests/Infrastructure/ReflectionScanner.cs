using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Lists the reflection an assembly's IL references: types of System.Reflection (attributes aside), Activator,
/// Type's member lookups and MakeGenericType, dynamic's runtime binder, compiled expressions, and System.Text.Json
/// serializer calls that take no source-generated metadata (the reflection-based overloads).
/// </summary>
public static class ReflectionScanner
{
    private static readonly HashSet<string> s_typeMembers =
    [
        "GetMethod", "GetMethods", "GetProperty", "GetProperties", "GetField", "GetFields", "GetMember", "GetMembers",
        "GetConstructor", "GetConstructors", "GetInterface", "GetInterfaces", "GetNestedType", "GetNestedTypes",
        "InvokeMember", "MakeGenericType", "MakeArrayType", "GetEvent", "GetEvents", "GetType",
    ];

    public static IReadOnlyList<string> Scan(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        var findings = new List<string>();

        foreach (TypeReferenceHandle handle in metadata.TypeReferences)
        {
            string name = FullName(metadata, handle);
            // BindingFlags alone is an enum constant (System.Text.Json's generated contexts declare one); any use of it
            // in a lookup shows up below as a Type member reference.
            if ((name.StartsWith("System.Reflection.", StringComparison.Ordinal)
                    && !name.EndsWith("Attribute", StringComparison.Ordinal)
                    && name != "System.Reflection.BindingFlags")
                || name is "System.Activator"
                || name.StartsWith("Microsoft.CSharp.RuntimeBinder.", StringComparison.Ordinal))
            {
                findings.Add($"type {name}");
            }
        }

        foreach (MemberReferenceHandle handle in metadata.MemberReferences)
        {
            MemberReference member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            string parent = FullName(metadata, (TypeReferenceHandle)member.Parent);
            string name = metadata.GetString(member.Name);
            if (parent == "System.Type" && s_typeMembers.Contains(name))
            {
                findings.Add($"{parent}.{name}");
            }
            else if (parent == "System.Linq.Expressions.LambdaExpression" || (parent.StartsWith("System.Linq.Expressions.Expression", StringComparison.Ordinal) && name == "Compile"))
            {
                findings.Add($"{parent}.{name}");
            }
            else if (parent == "System.Text.Json.JsonSerializer" && member.GetKind() == MemberReferenceKind.Method)
            {
                ImmutableArray<string> parameters = member.DecodeMethodSignature(new TypeNameProvider(metadata), null).ParameterTypes;
                if (!parameters.Any(static p => p.StartsWith("System.Text.Json.Serialization.Metadata.JsonTypeInfo", StringComparison.Ordinal)
                    || p == "System.Text.Json.Serialization.JsonSerializerContext"))
                {
                    findings.Add($"reflection-based {parent}.{name}({string.Join(", ", parameters)})");
                }
            }
        }

        return findings;
    }

    private static string FullName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        TypeReference type = metadata.GetTypeReference(handle);
        string name = metadata.GetString(type.Name);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? FullName(metadata, (TypeReferenceHandle)type.ResolutionScope) + "+" + name
            : metadata.GetString(type.Namespace) + "." + name;
    }

    /// <summary>Decodes signature types to their full names, enough to tell which serializer overload is called.</summary>
    private sealed class TypeNameProvider(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            $"{genericType}<{string.Join(",", typeArguments)}>";
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Namespace) + "." + reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(metadata, handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
