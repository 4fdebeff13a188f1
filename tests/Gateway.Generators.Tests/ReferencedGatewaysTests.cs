using System.Reflection;
using System.Runtime.Loader;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Generators.Tests;

/// <summary>
/// Gateways of a referenced class library: the library's generator marks the assembly and emits a public registration
/// type, and the application's generated <c>AddGateways()</c> calls it, so splitting an app into projects keeps every
/// gateway.
/// </summary>
public sealed class ReferencedGatewaysTests
{
    private const string LibrarySource = """
        using Gateway;

        namespace ChatLib;

        [WebSocketGateway("/lib")]
        internal partial class LibraryGateway
        {
            [SubscribeMessage("ping")]
            public string Ping() => "pong";
        }
        """;

    private const string AppSource = """
        using Gateway;

        namespace App;

        [WebSocketGateway("/app")]
        public partial class AppGateway
        {
            [SubscribeMessage("ping")]
            public string Ping() => "pong";
        }
        """;

    [Fact]
    public void AppAddGateways_AddsTheGatewaysOfReferencedAssemblies()
    {
        (GeneratorRun library, byte[] image) = BuildLibrary();
        string librarySource = library.Source("GatewayRegistration.g.cs");
        Assert.Contains(
            "[assembly: global::Gateway.Infrastructure.GatewayAssemblyAttribute(typeof(global::Gateway.Infrastructure.GeneratedGateways_ChatLib))]",
            librarySource,
            StringComparison.Ordinal);
        Assert.Contains("public static class GeneratedGateways_ChatLib", librarySource, StringComparison.Ordinal);

        GeneratorRun app = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(),
            GeneratorHarness.CreateCompilation(AppSource).WithAssemblyName("App").AddReferences(MetadataReference.CreateFromImage(image)));

        Assert.Empty(app.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        string registration = app.Source("GatewayRegistration.g.cs");
        Assert.Contains("global::Gateway.Infrastructure.GeneratedGateways_App.AddGateways(builder);", registration, StringComparison.Ordinal);
        Assert.Contains("global::Gateway.Infrastructure.GeneratedGateways_ChatLib.AddGateways(builder);", registration, StringComparison.Ordinal);

        // Run it: the app's AddGateways() registers its own gateway and the library's (internal) one.
        var context = new AssemblyLoadContext($"Referenced-{Guid.NewGuid():N}", isCollectible: true);
        try
        {
            context.LoadFromStream(new MemoryStream(image));
            Assembly appAssembly = context.LoadFromStream(new MemoryStream(Emit(app.Output)));
            MethodInfo addGateways = appAssembly
                .GetType("Microsoft.Extensions.DependencyInjection.GatewayServiceCollectionGeneratedExtensions", throwOnError: true)!
                .GetMethod("AddGateways")!;
            var services = new ServiceCollection();
            addGateways.Invoke(null, [services, null]);

            string[] gateways = [.. services.Select(static d => d.ServiceType.FullName!).Where(static n => n.EndsWith("Gateway", StringComparison.Ordinal))];
            Assert.Equal(["App.AppGateway", "ChatLib.LibraryGateway"], gateways.Order(StringComparer.Ordinal));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void ProjectWithoutGateways_EmitsNoMarker_ButStillCallsReferencedOnes()
    {
        (_, byte[] image) = BuildLibrary();

        GeneratorRun app = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(),
            GeneratorHarness.CreateCompilation("namespace App;\n\npublic static class Program;\n")
                .WithAssemblyName("App")
                .AddReferences(MetadataReference.CreateFromImage(image)));

        Assert.Empty(app.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        string registration = app.Source("GatewayRegistration.g.cs");
        Assert.DoesNotContain("GatewayAssemblyAttribute", registration, StringComparison.Ordinal);
        Assert.DoesNotContain("GeneratedGateways_App", registration, StringComparison.Ordinal);
        Assert.Contains("global::Gateway.Infrastructure.GeneratedGateways_ChatLib.AddGateways(builder);", registration, StringComparison.Ordinal);
    }

    [Fact]
    public void EditInApp_ReferencedGatewaysStepCached()
    {
        (_, byte[] image) = BuildLibrary();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AppSource)
            .WithAssemblyName("App")
            .AddReferences(MetadataReference.CreateFromImage(image));
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        SyntaxTree tree = compilation.SyntaxTrees[0];
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("\"pong\"", StringComparison.Ordinal), "\"pong\"".Length, "\"pong!\""));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(tree, edited));

        (object Value, IncrementalStepRunReason Reason)[] outputs =
            [.. second.Gateway.TrackedSteps[TrackingNames.ReferencedGateways].SelectMany(static s => s.Outputs)];
        Assert.NotEmpty(outputs);
        Assert.All(outputs, static o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
    }

    private static (GeneratorRun Run, byte[] Image) BuildLibrary()
    {
        GeneratorRun run = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(), GeneratorHarness.CreateCompilation(LibrarySource).WithAssemblyName("ChatLib"));
        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        return (run, Emit(run.Output));
    }

    private static byte[] Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics.Select(static d => d.ToString())));
        return stream.ToArray();
    }
}
