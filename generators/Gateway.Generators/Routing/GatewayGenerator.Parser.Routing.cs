using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>Whether the parameter binds a route value: any attribute that is ASP.NET Core's <c>IFromRouteMetadata</c> (<c>[FromRoute]</c>).</summary>
        private static AttributeData? FromRouteAttribute(IParameterSymbol parameter, KnownTypeSymbols known) =>
            parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.AllInterfaces.Any(i => i.Is(known.FromRouteMetadata)) == true);

        /// <summary>
        /// A <c>[FromRoute]</c> parameter: a value of the upgrade request's path, named by the attribute or the parameter,
        /// which the gateway's path must declare (GW0021); bound as a string or parsed with the type's <c>IParsable&lt;T&gt;</c>.
        /// </summary>
        private static ParameterSpec? ParseRouteParameter(
            IParameterSymbol parameter,
            AttributeData fromRoute,
            IMethodSymbol method,
            KnownTypeSymbols known,
            ParseState state,
            string path,
            ImmutableEquatableArray<string> routeParameters)
        {
            Location location = parameter.FirstLocation() ?? method.FirstLocation() ?? Location.None;
            string name = fromRoute.NamedArguments.FirstOrDefault(static a => a.Key == "Name").Value.Value as string is { Length: > 0 } named
                ? named
                : parameter.Name;
            if (!routeParameters.Any(p => string.Equals(p, name, System.StringComparison.OrdinalIgnoreCase)))
            {
                state.Report(DiagnosticDescriptors.UnknownRouteParameter, location, parameter.Name, method.Name, name, path);
                return null;
            }

            ITypeSymbol type = parameter.Type;
            bool isString = type.SpecialType == SpecialType.System_String;
            bool isParsable = !isString && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
                && type.AllInterfaces.Any(i => i.Is(known.Parsable) && i.TypeArguments is [ITypeSymbol self] && SymbolEqualityComparer.Default.Equals(self, type));
            if (!isString && !isParsable)
            {
                state.Report(
                    DiagnosticDescriptors.UnsupportedParameter,
                    location,
                    parameter.Name,
                    method.Name,
                    $"a route value binds to string or to a type with IParsable<T> (int, Guid, ...), not to '{type.ToDisplayString()}'");
                return null;
            }

            return new ParameterSpec(parameter.Name, ParameterKind.Route, CreateTypeRef(type), name, AllowsNull: isString && AllowsNull(type));
        }
    }
}
