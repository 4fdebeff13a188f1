using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Generators.Tests;

/// <summary>
/// Edits that cannot change the generated code must stop at the specs: the steps after them are Cached or
/// Unchanged, and the outputs that write source do not run again. Renaming an event must flow through.
/// </summary>
public sealed class IncrementalTests
{
    private const string GatewaySource = """
        using Gateway;

        namespace Events;

        // Every kind of spec is here (components, a route value, a validated payload, a lifetime, a port), so the tests
        // below also show that each compares by value.
        [WebSocketGateway(8080, "/events/{room}", Lifetime = GatewayLifetime.Connection)]
        [UseGuards(typeof(Open))]
        public partial class EventsGateway
        {
            [SubscribeMessage("events")]
            public WsResponse<int[]> FindAll() => new("events", [1, 2, 3]);

            [SubscribeMessage("identity")]
            [UseInterceptors(typeof(Timing))]
            [Microsoft.AspNetCore.Authorization.Authorize(Roles = "admin")]
            public int Identity([MessageBody] int data, [Microsoft.AspNetCore.Mvc.FromRoute] string room) => data;

            [SubscribeMessage("move")]
            public Point Move([MessageBody] Point point) => point with { X = point.X + 1 };
        }
        """;

    private const string ContextSource = """
        using System.Text.Json.Serialization;

        namespace Events;

        #pragma warning disable ASP0029
        [Microsoft.Extensions.Validation.ValidatableType]
        public sealed record Point([property: System.ComponentModel.DataAnnotations.Range(0, 9)] int X, int Y);

        public sealed class Open : Gateway.IGatewayGuard
        {
            public System.Threading.Tasks.ValueTask<bool> CanActivateAsync(Gateway.GatewayInvocationContext context) => new(true);
        }

        public sealed class Timing : Gateway.IGatewayInterceptor
        {
            public System.Threading.Tasks.ValueTask<object?> InterceptAsync(Gateway.GatewayInvocationContext context, Gateway.GatewayHandler next) => next(context);
        }

        [JsonSerializable(typeof(Point))]
        internal sealed partial class EventsJsonContext : JsonSerializerContext;
        """;

    /// <summary>The steps after parsing, whose outputs must compare equal when the edit cannot matter.</summary>
    private static readonly string[] s_stepsAfterSpec =
        [TrackingNames.Spec, TrackingNames.Bind, TrackingNames.Resolve, TrackingNames.Registry, TrackingNames.ReferencedGateways];

    private static readonly string[] s_allSteps =
    [
        TrackingNames.Parse, TrackingNames.Spec, TrackingNames.JsonContexts, TrackingNames.Bind, TrackingNames.Resolve,
        TrackingNames.Registry, TrackingNames.ReferencedGateways,
    ];

    private static readonly IncrementalStepRunReason[] s_notRerun = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void SameCompilation_EveryStepAfterParseCached_NoSourceRerun()
    {
        (GeneratorRun first, CSharpCompilation compilation) = RunFirst();

        GeneratorRunResult second = GeneratorHarness.Run(first.Driver, compilation).Gateway;

        // The driver adds the post-initialization source (GatewaySendExtensions) to the compilation on every run, so the
        // compilation the pipeline sees is a new one and the transforms that take a semantic model (Parse, and the
        // CompilationProvider step) run again, as on any edit. Everything they feed must still compare equal.
        foreach (string name in s_allSteps)
        {
            IncrementalStepRunReason[] allowed = name is TrackingNames.Parse ? [.. s_notRerun, IncrementalStepRunReason.Modified]
                : name is TrackingNames.JsonContexts or TrackingNames.ReferencedGateways ? s_notRerun
                : [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];
            AssertReasons(second.TrackedSteps[name], name, allowed);
        }

        AssertNothingDownstreamReran(second);
        Assert.Equal(SourcesOf(first), SourcesOf(GeneratorHarness.Run(first.Driver, compilation)));
    }

    [Fact]
    public void EditInsideHandlerBody_SpecsUnchanged_NoOutputRerun()
    {
        (GeneratorRun first, CSharpCompilation compilation) = RunFirst();
        SyntaxTree tree = compilation.SyntaxTrees[0];
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("=> data;", StringComparison.Ordinal), "=> data;".Length, "=> data + 1;"));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(tree, edited));

        Assert.Contains("data + 1", second.Output.SyntaxTrees.First().ToString(), StringComparison.Ordinal);
        Assert.Contains(second.Gateway.TrackedSteps[TrackingNames.Parse].SelectMany(static s => s.Outputs),
            static o => o.Reason == IncrementalStepRunReason.Modified);
        AssertNothingDownstreamReran(second.Gateway);
        Assert.Equal(SourcesOf(first), SourcesOf(second));
    }

    [Fact]
    public void AddUnrelatedFile_SpecsUnchanged_NoOutputRerun()
    {
        (GeneratorRun first, CSharpCompilation compilation) = RunFirst();
        SyntaxTree unrelated = CSharpSyntaxTree.ParseText(
            "namespace Events;\n\npublic static class Unrelated\n{\n    public static int Answer => 42;\n}\n",
            GeneratorHarness.ParseOptions,
            path: "Unrelated.cs");

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.AddSyntaxTrees(unrelated));

        AssertNothingDownstreamReran(second.Gateway);
        Assert.Equal(SourcesOf(first), SourcesOf(second));
    }

    [Fact]
    public void RenameEvent_SpecModified_SourceRegenerated()
    {
        (GeneratorRun first, CSharpCompilation compilation) = RunFirst();
        SyntaxTree tree = compilation.SyntaxTrees[0];
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("\"identity\"", StringComparison.Ordinal), "\"identity\"".Length, "\"whoami\""));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(tree, edited));

        IncrementalGeneratorRunStep[] spec = [.. second.Gateway.TrackedSteps[TrackingNames.Spec]];
        Assert.Contains(spec.SelectMany(static s => s.Outputs), static o => o.Reason == IncrementalStepRunReason.Modified);
        string before = first.Source("Events.EventsGateway.Gateway.g.cs");
        string after = second.Source("Events.EventsGateway.Gateway.g.cs");
        Assert.NotEqual(before, after);
        Assert.Contains("\"whoami\"u8", after, StringComparison.Ordinal);
        Assert.DoesNotContain("\"identity\"", after, StringComparison.Ordinal);
    }

    private static (GeneratorRun Run, CSharpCompilation Compilation) RunFirst()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(GatewaySource, ContextSource);
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning));
        return (run, compilation);
    }

    private static void AssertNothingDownstreamReran(GeneratorRunResult result)
    {
        foreach (string name in s_stepsAfterSpec)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"The step '{name}' did not run.");
            AssertReasons(steps, name, s_notRerun);
        }

        // Every output may be Unchanged (the diagnostics outputs run again on the new parse and report nothing new), but
        // the one that writes each gateway's source must not run at all.
        IncrementalGeneratorRunStep[] outputs = [.. result.TrackedOutputSteps.SelectMany(static s => s.Value)];
        AssertReasons(outputs, "outputs", s_notRerun);
        AssertReasons(
            outputs.Where(static s => s.Inputs.Any(static i => i.Source.Name == TrackingNames.Resolve)),
            "gateway source output",
            [IncrementalStepRunReason.Cached]);
    }

    private static void AssertReasons(IEnumerable<IncrementalGeneratorRunStep> steps, string name, IncrementalStepRunReason[] allowed)
    {
        (object Value, IncrementalStepRunReason Reason)[] outputs = [.. steps.SelectMany(static s => s.Outputs)];
        Assert.True(outputs.Length > 0, $"The step '{name}' has no outputs to check.");
        string[] wrong = [.. outputs.Where(o => !allowed.Contains(o.Reason)).Select(static o => $"{o.Reason}: {o.Value}")];
        Assert.True(wrong.Length == 0, $"The step '{name}' reran:\n" + string.Join('\n', wrong));
    }

    private static string[] SourcesOf(GeneratorRun run) =>
        [.. run.Gateway.GeneratedSources.Select(static s => s.HintName + "\n" + s.SourceText)];
}
