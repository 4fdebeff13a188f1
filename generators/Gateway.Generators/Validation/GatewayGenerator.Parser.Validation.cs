using System.Linq;
using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// Whether a message body is validated before its handler runs: its type is a <c>[ValidatableType]</c> of
        /// Microsoft.Extensions.Validation (whose own generator writes the validation code), and neither the
        /// parameter nor the type opts out with <c>[SkipValidation]</c>. A type with validation attributes that is not
        /// validatable gets GW0020, as those attributes would otherwise be ignored in silence.
        /// </summary>
        /// <returns>The name the type's errors are reported under, or null when it is not validated.</returns>
        private static string? ParseValidation(IParameterSymbol parameter, IMethodSymbol method, KnownTypeSymbols known, ParseState state, Location location)
        {
            ITypeSymbol type = parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                && parameter.Type is INamedTypeSymbol { TypeArguments: [ITypeSymbol underlying] } ? underlying : parameter.Type;
            if (HasAttribute(parameter, known.SkipValidationAttribute) || HasAttribute(type, known.SkipValidationAttribute))
            {
                return null;
            }

            if (HasAttribute(type, known.ValidatableTypeAttribute))
            {
                return type.Name;
            }

            if (type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named && named.SpecialType == SpecialType.None && HasValidationRules(named, known))
            {
                state.Report(DiagnosticDescriptors.PayloadNotValidatable, location, type.ToDisplayString(), method.Name);
            }

            return null;
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
            attribute is not null && symbol.GetAttributes().Any(a => a.AttributeClass.Is(attribute));

        /// <summary>Validation attributes on the type or its properties (its own and inherited), or <c>IValidatableObject</c>.</summary>
        private static bool HasValidationRules(INamedTypeSymbol type, KnownTypeSymbols known)
        {
            if (known.ValidationAttribute is null)
            {
                return false;
            }

            bool IsRule(AttributeData attribute) => attribute.AttributeClass is { } type && DerivesFrom(type, known.ValidationAttribute);
            if (type.AllInterfaces.Any(i => i.Is(known.ValidatableObject)) || type.GetAttributes().Any(IsRule))
            {
                return true;
            }

            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (ISymbol member in current.GetMembers())
                {
                    if (member is IPropertySymbol property && property.GetAttributes().Any(IsRule))
                    {
                        return true;
                    }

                    // A positional record's rules sit on its constructor parameters.
                    if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                        && constructor.Parameters.Any(p => p.GetAttributes().Any(IsRule)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
