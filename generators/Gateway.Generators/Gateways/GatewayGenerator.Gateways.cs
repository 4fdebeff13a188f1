using System.Collections.Immutable;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    /// <summary>The gateways of the project: one source file each, the registration, and one diagnostics output.</summary>
    private static void RegisterGateways(
        IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts)
    {
        IncrementalValuesProvider<GatewayParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.WebSocketGatewayAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<GatewayResolution> resolutions = parsed
            .Select(static (result, _) => result.Model)
            .WithTrackingName(TrackingNames.Spec)
            .Combine(jsonContexts)
            .Select(static (pair, _) => JsonMetadataResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Bind);

        IncrementalValuesProvider<ResolvedGatewaySpec> resolved = resolutions
            .Where(static r => r.Gateway is not null)
            .Select(static (r, _) => r.Gateway!)
            .WithTrackingName(TrackingNames.Resolve);
        context.RegisterSourceOutput(resolved, static (spc, spec) =>
            spc.AddSource(Emitter.HintName(spec.Gateway), Emitter.EmitGateway(spec)));

        IncrementalValueProvider<RegistrationSpec> registration = context.CompilationProvider
            .Select(static (compilation, ct) => Parser.ParseRegistration(compilation, ct))
            .WithTrackingName(TrackingNames.ReferencedGateways);
        IncrementalValueProvider<ImmutableEquatableArray<string>> registry = resolved
            .Select(static (spec, _) => spec.Gateway.FullyQualifiedName)
            .Collect()
            .Select(static (names, _) => names.OrderBy(static n => n, System.StringComparer.Ordinal).ToImmutableEquatableArray())
            .WithTrackingName(TrackingNames.Registry);
        context.RegisterSourceOutput(registry.Combine(registration), static (spc, pair) =>
        {
            if (pair.Right.ReferencesRuntime)
            {
                spc.AddSource("GatewayRegistration.g.cs", Emitter.EmitRegistration(pair.Left, pair.Right));
            }
        });

        IncrementalValuesProvider<ImmutableArray<Diagnostic>> strays = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.SubscribeMessageAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => Parser.FindHandlerOutsideGateway(ctx));

        context.RegisterSourceOutput(
            parsed.Collect().Combine(resolutions.Collect()).Combine(strays.Collect()),
            static (spc, input) => ReportGatewayDiagnostics(spc, input.Left.Left, input.Left.Right, input.Right));
    }

    /// <summary>Every diagnostic about gateways: the parser's, GW0007 for what the resolver could not bind, and GW0003.</summary>
    private static void ReportGatewayDiagnostics(
        SourceProductionContext context,
        ImmutableArray<GatewayParseResult> results,
        ImmutableArray<GatewayResolution> resolutions,
        ImmutableArray<ImmutableArray<Diagnostic>> strays)
    {
        var missing = resolutions.ToDictionary(static r => r.FullyQualifiedName, static r => r.Missing, System.StringComparer.Ordinal);
        foreach (GatewayParseResult result in results)
        {
            Report(context, result.Diagnostics);
            if (missing.TryGetValue(result.Model.FullyQualifiedName, out ImmutableEquatableArray<JsonTypeSpec>? types))
            {
                ReportMissingJsonMetadata(context, types, result.JsonUsages, result.Location);
            }
        }

        ReportDuplicateEvents(context, results.SelectMany(static r => r.Events));
        foreach (ImmutableArray<Diagnostic> diagnostics in strays)
        {
            Report(context, diagnostics);
        }
    }

    /// <summary>
    /// GW0003, the one duplicate-event rule, for handlers of one gateway and of several gateways on a path alike. The
    /// claims are ordered by file and position, and every claim after the first of its (path, event) is reported: the
    /// diagnostic lands on the newer handler and names the one that already handles the event.
    /// </summary>
    private static void ReportDuplicateEvents(SourceProductionContext context, System.Collections.Generic.IEnumerable<EventClaim> claims)
    {
        // A gateway on one port and another on a second port may both handle an event of their path; one served on
        // every port shares each port with both.
        var owners = new System.Collections.Generic.Dictionary<(string Path, string Event), System.Collections.Generic.List<(int? Port, string Handler)>>();
        foreach (EventClaim claim in claims
            .OrderBy(static c => c.Location.SourceTree?.FilePath ?? "", System.StringComparer.Ordinal)
            .ThenBy(static c => c.Location.SourceSpan.Start))
        {
            if (!owners.TryGetValue((claim.Path, claim.Event), out var claimed))
            {
                owners.Add((claim.Path, claim.Event), claimed = []);
            }

            (int? Port, string Handler) owner = claimed.FirstOrDefault(c => c.Port is null || claim.Port is null || c.Port == claim.Port);
            if (owner.Handler is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateEvent, claim.Location, claim.Event, claim.Path, owner.Handler));
            }
            else
            {
                claimed.Add((claim.Port, claim.Handler));
            }
        }
    }
}
