using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    /// <summary>The <c>[ClientEvents]</c> contracts: parsed, bound to JSON metadata and emitted like gateways.</summary>
    private static void RegisterClientEvents(
        IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts)
    {
        IncrementalValuesProvider<ClientEventsParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.ClientEventsAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (ctx, ct) => Parser.ParseClientEvents(ctx, ct))
            .WithTrackingName(TrackingNames.ParseClientEvents);

        IncrementalValuesProvider<ClientEventsResolution> resolutions = parsed
            .Select(static (result, _) => result.Model)
            .WithTrackingName(TrackingNames.ClientEventsSpec)
            .Combine(jsonContexts)
            .Select(static (pair, _) => JsonMetadataResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.BindClientEvents);
        context.RegisterSourceOutput(
            resolutions
                .Where(static r => r.Contract is not null)
                .Select(static (r, _) => r.Contract!)
                .WithTrackingName(TrackingNames.ResolveClientEvents),
            static (spc, spec) => spc.AddSource(Emitter.HintName(spec.Contract), Emitter.EmitClientEvents(spec)));

        context.RegisterSourceOutput(parsed.Collect().Combine(resolutions.Collect()), static (spc, pair) =>
        {
            var missing = pair.Right.ToDictionary(static r => r.FullyQualifiedName, static r => r.Missing, System.StringComparer.Ordinal);
            foreach (ClientEventsParseResult result in pair.Left)
            {
                Report(spc, result.Diagnostics);
                if (missing.TryGetValue(result.Model.FullyQualifiedName, out ImmutableEquatableArray<JsonTypeSpec>? types))
                {
                    ReportMissingJsonMetadata(spc, types, result.JsonUsages, result.Location);
                }
            }
        });
    }
}
