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
        public static ImmutableEquatableArray<AttributeSpec> ParseAuthorization(ISymbol symbol, KnownTypeSymbols known)
        {
            List<AttributeSpec>? specs = null;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass is not { } type
                    || !type.AllInterfaces.Any(i => i.Is(known.AuthorizeData) || i.Is(known.AllowAnonymous)))
                {
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
