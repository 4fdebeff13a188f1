using System.Collections.Immutable;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    /// <summary>
    /// Send calls without JSON metadata (<c>client.SendAsync("e", data)</c>): each is intercepted and redirected to the
    /// overload taking the metadata bound here, so generic sends stay AOT-safe; a type without metadata is GW0007, and
    /// a call that cannot be intercepted is GW0014.
    /// </summary>
    private static void RegisterSendCalls(
        IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<ImmutableEquatableArray<JsonContextSpec>> jsonContexts)
    {
        context.RegisterPostInitializationOutput(static ctx => ctx.AddSource(Emitter.SendExtensionsHintName, Emitter.EmitSendExtensions()));

        IncrementalValuesProvider<SendCallParseResult> parsed = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => Parser.IsSendCall(node), static (ctx, ct) => Parser.ParseSendCall(ctx, ct))
            .Where(static call => call is not null)
            .Select(static (call, _) => call!)
            .WithTrackingName(TrackingNames.ParseSendCalls);

        IncrementalValueProvider<SendCallsResolution> bound = parsed
            .Where(static call => call.Spec is not null)
            .Select(static (call, _) => call.Spec!)
            .Collect()
            .Combine(jsonContexts)
            .Select(static (pair, _) => JsonMetadataResolver.BindSendCalls(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ResolveSendCalls);
        context.RegisterSourceOutput(bound, static (spc, resolution) =>
        {
            if (resolution.Calls.Count > 0)
            {
                spc.AddSource(Emitter.SendInterceptorsHintName, Emitter.EmitSendInterceptors(resolution.Calls, resolution.Metadata));
            }
        });

        context.RegisterSourceOutput(parsed.Collect().Combine(bound), static (spc, pair) =>
        {
            foreach (SendCallParseResult call in pair.Left)
            {
                if (call.Problem is not null)
                {
                    spc.ReportDiagnostic(call.Problem);
                }
            }

            ImmutableArray<JsonTypeUsage> usages = [.. pair.Left
                .Where(static c => c.Spec is not null)
                .Select(static c => new JsonTypeUsage(c.Spec!.Data.Type.MetadataKey, c.Location))];
            ReportMissingJsonMetadata(spc, pair.Right.Missing, usages, Location.None);
        });
    }
}
