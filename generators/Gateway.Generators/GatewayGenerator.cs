using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Generators;

/// <summary>
/// Compiles every <c>[WebSocketGateway]</c> class into a dispatch table and JSON glue, and generates
/// <c>AddGateways()</c> for the project.
/// </summary>
/// <remarks>
/// Three features, each a pipeline of its own: gateways, <c>[ClientEvents]</c> contracts and send calls. Each goes
/// <c>ForAttributeWithMetadataName</c> (or a syntax provider) → <see cref="Parser"/> (symbols → an equatable model
/// that lists the types needing JSON metadata, with diagnostics and locations beside it) → combined with the
/// project's <c>[JsonSerializable]</c> contexts in <see cref="JsonMetadataResolver"/>, which binds that list and
/// returns what it could not bind → <see cref="Emitter"/>. Each feature reports all its diagnostics from one
/// output, so that models stay equatable and cached.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class GatewayGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.JsonSerializableAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => Parser.ParseJsonContext(ctx))
            .Where(static spec => spec is not null)
            .Collect()
            .Select(static (specs, _) => specs
                .Select(static s => s!)
                .OrderBy(static s => s.FullyQualifiedName, System.StringComparer.Ordinal)
                .ToImmutableEquatableArray())
            .WithTrackingName(TrackingNames.JsonContexts);

        RegisterGateways(context, jsonContexts);
        RegisterClientEvents(context, jsonContexts);
        RegisterSendCalls(context, jsonContexts);
    }
}
