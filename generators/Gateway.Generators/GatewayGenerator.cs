using System.Collections.Generic;
using System.Collections.Immutable;
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
/// Pipeline: <c>ForAttributeWithMetadataName</c> → <see cref="Parser"/> (symbols → <see cref="GatewaySpec"/>,
/// with diagnostics beside it) → combined with the project's <c>[JsonSerializable]</c> contexts to bind each
/// payload type to existing metadata (<see cref="ResolvedGatewaySpec"/>) → <see cref="Emitter"/>. Diagnostics
/// travel on their own outputs so that specs stay equatable and cached.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class GatewayGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<GatewayParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.WebSocketGatewayAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.JsonSerializableAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => Parser.ParseJsonContext(ctx))
            .Where(static spec => spec is not null)
            .Collect()
            .Select(static (specs, _) => specs.Select(static s => s!).ToImmutableEquatableArray())
            .WithTrackingName(TrackingNames.JsonContexts);

        IncrementalValuesProvider<ResolvedGatewaySpec> resolved = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.Spec)
            .Combine(jsonContexts)
            .Select(static (pair, _) => JsonMetadataResolver.Resolve(pair.Left!, pair.Right))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Resolve);

        context.RegisterSourceOutput(resolved, static (spc, spec) =>
            spc.AddSource(Emitter.HintName(spec.Gateway), Emitter.EmitGateway(spec)));

        IncrementalValueProvider<bool> referencesRuntime = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(KnownTypeNames.GatewayBuilder) is not null);
        IncrementalValueProvider<ImmutableEquatableArray<string>> registry = resolved
            .Select(static (spec, _) => spec.Gateway.FullyQualifiedName)
            .Collect()
            .Select(static (names, _) => names.OrderBy(static n => n, System.StringComparer.Ordinal).ToImmutableEquatableArray())
            .WithTrackingName(TrackingNames.Registry);
        context.RegisterSourceOutput(registry.Combine(referencesRuntime), static (spc, pair) =>
        {
            if (pair.Right)
            {
                spc.AddSource("GatewayRegistration.g.cs", Emitter.EmitRegistration(pair.Left));
            }
        });

        RegisterDiagnostics(context, parsed, jsonContexts);
        RegisterClientEvents(context, jsonContexts);
        RegisterSendCalls(context, jsonContexts);
    }

    /// <summary>
    /// Send calls without JSON metadata (<c>client.SendAsync("e", data)</c>): each is intercepted and redirected to the
    /// overload taking the metadata bound here, so generic sends stay AOT-safe; a type without metadata is GW0007.
    /// </summary>
    private static void RegisterSendCalls(
        IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts)
    {
        IncrementalValuesProvider<SendCallParseResult> parsed = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => Parser.IsSendCall(node), static (ctx, ct) => Parser.ParseSendCall(ctx, ct))
            .Where(static call => call is not null)
            .Select(static (call, _) => call!)
            .WithTrackingName(TrackingNames.ParseSendCalls);

        IncrementalValueProvider<(ImmutableEquatableArray<SendCallSpec> Calls, ImmutableEquatableArray<JsonMetadataSpec> Metadata)> bound = parsed
            .Where(static call => call.Spec is not null)
            .Select(static (call, _) => call.Spec!)
            .Collect()
            .Combine(jsonContexts)
            .Select(static (pair, _) => JsonMetadataResolver.BindSendCalls(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ResolveSendCalls);
        context.RegisterSourceOutput(bound, static (spc, pair) =>
        {
            if (pair.Calls.Count > 0)
            {
                spc.AddSource(Emitter.SendInterceptorsHintName, Emitter.EmitSendInterceptors(pair.Calls, pair.Metadata));
            }
        });

        context.RegisterSourceOutput(
            parsed.Where(static call => call.Usage is not null).Select(static (call, _) => call.Usage!.Value).Collect().Combine(jsonContexts),
            static (spc, pair) => ReportMissingJsonMetadata(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(parsed.Where(static call => call.Problem is not null), static (spc, call) =>
            spc.ReportDiagnostic(call.Problem!));
    }

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

        IncrementalValuesProvider<ResolvedClientEventsSpec> resolved = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .Combine(jsonContexts)
            .Select(static (pair, _) => JsonMetadataResolver.Resolve(pair.Left!, pair.Right))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ResolveClientEvents);
        context.RegisterSourceOutput(resolved, static (spc, spec) =>
            spc.AddSource(Emitter.HintName(spec.Contract), Emitter.EmitClientEvents(spec)));

        context.RegisterSourceOutput(parsed.Combine(jsonContexts), static (spc, pair) =>
        {
            foreach (Diagnostic diagnostic in pair.Left.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic);
            }

            ReportMissingJsonMetadata(spc, pair.Left.JsonTypes, pair.Right);
        });
    }

    private static void ReportMissingJsonMetadata(
        SourceProductionContext context, ImmutableArray<JsonTypeUsage> usages, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        var reported = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (JsonTypeUsage usage in usages)
        {
            if (JsonMetadataResolver.FindContext(usage.MetadataKey, contexts) is null && reported.Add(usage.MetadataKey))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MissingJsonMetadata,
                    usage.Location,
                    DiagnosticProperties.ForJsonType(usage.MetadataKey),
                    usage.DisplayName));
            }
        }
    }

    private static void RegisterDiagnostics(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<GatewayParseResult> parsed,
        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts)
    {
        context.RegisterSourceOutput(parsed, static (spc, result) =>
        {
            foreach (Diagnostic diagnostic in result.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic);
            }
        });

        context.RegisterSourceOutput(parsed.Combine(jsonContexts), static (spc, pair) =>
            ReportMissingJsonMetadata(spc, pair.Left.JsonTypes, pair.Right));

        context.RegisterSourceOutput(parsed.Collect(), static (spc, results) =>
        {
            var owners = new Dictionary<(string Path, string Event), string>();
            foreach (EventClaim claim in results.SelectMany(static r => r.Events))
            {
                if (owners.TryGetValue((claim.Path, claim.Event), out string? owner))
                {
                    spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateEvent, claim.Location, claim.Event, claim.Path, owner));
                }
                else
                {
                    owners.Add((claim.Path, claim.Event), claim.Gateway);
                }
            }
        });

        IncrementalValuesProvider<ImmutableArray<Diagnostic>> strays = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.SubscribeMessageAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => Parser.FindHandlerOutsideGateway(ctx));
        context.RegisterSourceOutput(strays, static (spc, diagnostics) =>
        {
            foreach (Diagnostic diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic);
            }
        });
    }
}
