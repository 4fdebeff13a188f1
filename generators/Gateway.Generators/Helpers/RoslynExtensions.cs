using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Helpers;

internal static class RoslynExtensions
{
    private static readonly SymbolDisplayFormat s_fullyQualifiedAnnotated = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The <c>global::</c>-qualified name, with nullable reference annotations.</summary>
    public static string ToAnnotatedName(this ITypeSymbol type) => type.ToDisplayString(s_fullyQualifiedAnnotated);

    /// <summary>The <c>global::</c>-qualified name without nullable reference annotations: the JSON metadata key.</summary>
    public static string ToMetadataKey(this ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    public static bool Is(this ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

    public static bool CanBeNull(this ITypeSymbol type) =>
        type.IsReferenceType || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    /// <summary>A readable identifier for the type: <c>Int32</c>, <c>StringArray</c>, <c>ListChatMessage</c>.</summary>
    public static string ToIdentifier(this ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => ToIdentifier(array.ElementType) + "Array",
        INamedTypeSymbol { IsGenericType: true } named =>
            named.Name + string.Concat(System.Linq.Enumerable.Select(named.TypeArguments, ToIdentifier)),
        _ => type.Name,
    };

    public static Location? FirstLocation(this ISymbol symbol) =>
        symbol.Locations.Length > 0 ? symbol.Locations[0] : null;
}
