using System.Globalization;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// "Which types need JSON metadata" is decided once, by the parser; the resolver binds exactly that list and returns
/// what it cannot bind, and the diagnostics output reports exactly that. So a gateway is either generated or has a
/// GW error: never silently left out.
/// </summary>
public sealed class JsonUsageTests
{
    private const string Header = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Gateway;

        namespace Shapes;

        public sealed record Point(int X, int Y);

        public sealed record Unlisted(int Value);

        [JsonSerializable(typeof(Point))]
        internal sealed partial class ShapesJsonContext : JsonSerializerContext;

        """;

    /// <summary>Every position a JSON type can take, with metadata and without.</summary>
    public static TheoryData<string> Handlers() =>
    [
        "public Point Body([MessageBody] Point p) => p;",
        "public Unlisted Body([MessageBody] Unlisted u) => u;",
        "public int Body([MessageBody] Unlisted? u) => 1;",
        "public int Property([MessageBody(\"p\")] Unlisted u) => 1;",
        "public Unlisted Result() => new(1);",
        "public Task<Unlisted?> Result() => Task.FromResult<Unlisted?>(null);",
        "public ValueTask<List<Unlisted>> Result() => default;",
        "public WsResponse<Unlisted> Result() => new(\"e\", new(1));",
        "public WsResponse<Point?> Result() => new(\"e\", null);",
        "public async IAsyncEnumerable<Unlisted> Stream() { await Task.Yield(); yield break; }",
        "public async IAsyncEnumerable<Point> Stream() { await Task.Yield(); yield break; }",
        "public string? Nullable([MessageBody] string? s) => s;",
        "public int Arrays([MessageBody] int[] numbers) => numbers.Length;",
        "public int Arrays([MessageBody] Unlisted[] items) => items.Length;",
    ];

    [Theory]
    [MemberData(nameof(Handlers))]
    public void EveryGateway_IsGeneratedOrReported(string handler)
    {
        GeneratorRun run = GeneratorHarness.Run(Header + $$"""
            [WebSocketGateway]
            public partial class ShapeGateway
            {
                [SubscribeMessage("e")]
                {{handler}}
            }
            """);

        bool generated = run.Gateway.GeneratedSources.Any(static s => s.HintName == "Shapes.ShapeGateway.Gateway.g.cs");
        Diagnostic[] errors = [.. run.GeneratorDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(generated != (errors.Length > 0), $"generated: {generated}, errors: {string.Join("; ", errors.Select(static d => d.ToString()))}");
        // Each type without metadata is named by a GW0007, and nothing else keeps the gateway out.
        bool usesUnlisted = handler.Contains("Unlisted", StringComparison.Ordinal);
        Assert.Equal(usesUnlisted, errors.Any(static d => d.Id == "GW0007" && d.GetMessage(CultureInfo.InvariantCulture).Contains("Unlisted", StringComparison.Ordinal)));
        Assert.Equal(usesUnlisted ? ["GW0007"] : [], errors.Select(static d => d.Id).Distinct());
    }

    [Fact]
    public void Resolver_BindsExactlyTheRecordedList_AndReturnsWhatItCannotBind()
    {
        var point = new JsonTypeSpec(new TypeRef("global::Shapes.Point", "global::Shapes.Point", "Point", true), "Point");
        var unlisted = new JsonTypeSpec(new TypeRef("global::Shapes.Unlisted", "global::Shapes.Unlisted", "Unlisted", true), "Unlisted");
        var builtIn = new JsonTypeSpec(new TypeRef("int", "int", "Int32", false), "int");
        var spec = new GatewaySpec(
            "Shapes", "ShapeGateway", "global::Shapes.ShapeGateway", "/", null, false, ImmutableEquatableArray<ParameterSpec>.Empty, ImmutableEquatableArray<HandlerSpec>.Empty,
            ImmutableEquatableArray<AttributeSpec>.Empty, ComponentsSpec.Empty);
        ImmutableEquatableArray<JsonContextSpec> contexts = new JsonContextSpec[]
        {
            new("global::Shapes.ShapesJsonContext", new[] { point.Type.MetadataKey }.ToImmutableEquatableArray()),
        }.ToImmutableEquatableArray();

        // A type the spec's handlers do not even use still counts: the list, not the handlers, is what is bound.
        GatewayResolution missing = JsonMetadataResolver.Resolve(
            new GatewayModel(spec.FullyQualifiedName, spec, new[] { point, unlisted, builtIn }.ToImmutableEquatableArray()), contexts);
        GatewayResolution complete = JsonMetadataResolver.Resolve(
            new GatewayModel(spec.FullyQualifiedName, spec, new[] { point, builtIn }.ToImmutableEquatableArray()), contexts);

        Assert.Null(missing.Gateway);
        Assert.Equal([unlisted], missing.Missing);
        Assert.NotNull(complete.Gateway);
        Assert.Empty(complete.Missing);
        Assert.Equal(["global::Shapes.ShapesJsonContext", KnownTypeNames.BuiltInJsonContext],
            complete.Gateway.JsonMetadata.Select(static m => m.ContextName));
    }

    [Fact]
    public void GatewayWithOtherErrors_StillGetsGW0007()
    {
        GeneratorRun run = GeneratorHarness.Run(Header + """
            [WebSocketGateway]
            public class NotPartialGateway
            {
                [SubscribeMessage("e")]
                public int Body([MessageBody] Unlisted u) => 1;
            }
            """);

        Assert.Equal(["GW0001", "GW0007"], run.GeneratorDiagnostics.Select(static d => d.Id).Order(StringComparer.Ordinal));
    }
}
