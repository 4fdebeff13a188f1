using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// The authorization attributes on <paramref name="symbol"/> (any attribute that implements
        /// <c>IAuthorizeData</c> or <c>IAllowAnonymous</c>, ASP.NET Core's own or the application's), re-created in
        /// generated code so that no reflection reads them at run time.
        /// </summary>
        private static ImmutableEquatableArray<AttributeSpec> ParseAuthorization(ISymbol symbol, KnownTypeSymbols known, ParseState state)
        {
            List<AttributeSpec>? specs = null;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass is not { } type
                    || !type.AllInterfaces.Any(i => i.Is(known.AuthorizeData) || i.Is(known.AllowAnonymous)))
                {
                    continue;
                }

                // An empty policy name is no policy (ASP.NET Core would fail at run time to find it): GW0018.
                bool emptyPolicy = attribute.ConstructorArguments is [{ Value: string positional }] && string.IsNullOrWhiteSpace(positional)
                    || attribute.NamedArguments.Any(static a => a.Key == "Policy" && a.Value.Value is string named && string.IsNullOrWhiteSpace(named));
                if (emptyPolicy)
                {
                    state.Report(
                        DiagnosticDescriptors.EmptyPolicyName,
                        AttributeLocation(attribute, symbol),
                        type.Name.EndsWith("Attribute", System.StringComparison.Ordinal) ? type.Name.Substring(0, type.Name.Length - 9) : type.Name,
                        symbol.Name,
                        "name a policy added with AddAuthorization(o => o.AddPolicy(...)), or leave Policy out for the default policy");
                    continue;
                }

                (specs ??= []).Add(new AttributeSpec(
                    type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    attribute.ConstructorArguments.Select(static a => a.ToCSharpString()).ToImmutableEquatableArray(),
                    attribute.NamedArguments.Select(static a => $"{a.Key} = {a.Value.ToCSharpString()}").ToImmutableEquatableArray()));
            }

            return specs is null ? ImmutableEquatableArray<AttributeSpec>.Empty : specs.ToImmutableEquatableArray();
        }
    }
}
