using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// The guards, interceptors and exception filters of <c>[UseGuards]</c>, <c>[UseInterceptors]</c> and
        /// <c>[UseFilters]</c> on <paramref name="symbol"/> (a gateway class or a handler): each type must be one of
        /// its kind and constructible from DI, else GW0019; generated code creates it, so nothing reflects at run time.
        /// </summary>
        private static ComponentsSpec ParseComponents(ISymbol symbol, KnownTypeSymbols known, ParseState state)
        {
            List<ComponentSpec>? guards = null, interceptors = null, filters = null;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                string kind;
                List<ComponentSpec> target;
                if (attribute.AttributeClass.Is(known.UseGuardsAttribute))
                {
                    (kind, target) = ("UseGuards", guards ??= []);
                }
                else if (attribute.AttributeClass.Is(known.UseInterceptorsAttribute))
                {
                    (kind, target) = ("UseInterceptors", interceptors ??= []);
                }
                else if (attribute.AttributeClass.Is(known.UseFiltersAttribute))
                {
                    (kind, target) = ("UseFilters", filters ??= []);
                }
                else
                {
                    continue;
                }

                Location location = AttributeLocation(attribute, symbol);
                foreach (TypedConstant argument in attribute.ConstructorArguments.SelectMany(static a => a.Kind == TypedConstantKind.Array ? a.Values : [a]))
                {
                    if (argument.Value is not ITypeSymbol type)
                    {
                        state.Report(DiagnosticDescriptors.InvalidPipelineComponent, location, "null", kind, symbol.Name, "name a type with typeof(...)");
                        continue;
                    }

                    if (ParseComponent(type, kind, symbol, known, state, location) is { } component)
                    {
                        target.Add(component);
                    }
                }
            }

            return guards is null && interceptors is null && filters is null
                ? ComponentsSpec.Empty
                : new ComponentsSpec(
                    (guards ?? []).ToImmutableEquatableArray(),
                    (interceptors ?? []).ToImmutableEquatableArray(),
                    (filters ?? []).ToImmutableEquatableArray());
        }

        private static ComponentSpec? ParseComponent(ITypeSymbol type, string kind, ISymbol symbol, KnownTypeSymbols known, ParseState state, Location location)
        {
            string? problem = type is not INamedTypeSymbol named ? "it is not a class"
                : named.TypeKind != TypeKind.Class ? $"it is {(named.TypeKind == TypeKind.Interface ? "an interface" : "not a class")}; name a class that implements it"
                : named.IsStatic ? "it is static"
                : named.IsAbstract ? "it is abstract"
                : named.IsUnboundGenericType || named.TypeArguments.Any(static t => t.TypeKind == TypeKind.TypeParameter) ? "it has open type parameters"
                : named.InstanceConstructors.All(static c => c.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                    ? "it has no public or internal constructor"
                : KindProblem(named, kind, symbol is INamedTypeSymbol, known);
            if (problem is not null)
            {
                state.Report(DiagnosticDescriptors.InvalidPipelineComponent, location, type.ToDisplayString(), kind, symbol.Name, problem);
                return null;
            }

            var componentType = (INamedTypeSymbol)type;
            ImmutableEquatableArray<ParameterSpec> constructor = ParseConstructor(
                componentType,
                known,
                reason => state.Report(DiagnosticDescriptors.InvalidPipelineComponent, location, type.ToDisplayString(), kind, symbol.Name, reason));
            return new ComponentSpec(componentType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), constructor);
        }

        private static string? KindProblem(INamedTypeSymbol type, string kind, bool onClass, KnownTypeSymbols known)
        {
            bool Implements(INamedTypeSymbol? @interface) => type.AllInterfaces.Any(i => i.Is(@interface));
            return kind switch
            {
                "UseGuards" when Implements(known.GatewayGuard) => null,
                "UseGuards" when Implements(known.GatewayConnectionGuard) => onClass
                    ? null
                    : "it guards connections only (IGatewayConnectionGuard); put it on the gateway class, or implement IGatewayGuard",
                "UseGuards" => "it implements neither IGatewayGuard nor IGatewayConnectionGuard",
                "UseInterceptors" => Implements(known.GatewayInterceptor) ? null : "it does not implement IGatewayInterceptor",
                _ => Implements(known.GatewayExceptionFilter) ? null : "it does not implement IGatewayExceptionFilter",
            };
        }
    }
}
