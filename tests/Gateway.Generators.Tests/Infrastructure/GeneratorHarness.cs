using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Gateway.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="GatewayGenerator"/> (and the System.Text.Json generator, so that user
/// <c>JsonSerializerContext</c> classes compile) over in-memory sources.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>
    /// C# preview with doc comments diagnosed, and interceptors enabled in the generator's namespace as the package's
    /// buildTransitive props do (<c>InterceptorsNamespaces=Gateway.Generated</c>), so that intercepted sends compile.
    /// </summary>
    public static CSharpParseOptions ParseOptions { get; } =
        new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Diagnose)
            .WithFeatures([new("InterceptorsNamespaces", "Gateway.Generated")]);

    // Doc comments are diagnosed so that a bad cref in generated code is a warning; test sources skip their own docs
    // as the samples do (NoWarn CS1591).
    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        specificDiagnosticOptions: [new("CS1591", ReportDiagnostic.Suppress)]);

    private static readonly Lazy<ImmutableArray<ISourceGenerator>> s_jsonGenerator = new(LoadJsonGenerator);

    /// <summary>The System.Text.Json generator's types, for test frameworks that create generators themselves.</summary>
    public static IEnumerable<Type> JsonGeneratorTypes => s_jsonGenerator.Value.Select(static g => g.GetGeneratorType());

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "TestProject",
            sources.Select(static (source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            TestReferences.All,
            s_compilationOptions);

    /// <summary>A driver that tracks its incremental steps, with the System.Text.Json generator beside ours.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new GatewayGenerator().AsSourceGenerator(), .. s_jsonGenerator.Value],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>A driver with <paramref name="generator"/> (the typed client's, say) beside the System.Text.Json generator.</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator generator) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator(), .. s_jsonGenerator.Value],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), output);
    }

    private static ImmutableArray<ISourceGenerator> LoadJsonGenerator()
    {
        // The generator ships in the targeting pack beside the runtime: packs/Microsoft.NETCore.App.Ref/{version}/analyzers.
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string version = Path.GetFileName(runtime);
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string path = new[] { Path.Combine(packs, version) }
            .Concat(Directory.Exists(packs) ? Directory.EnumerateDirectories(packs).Order(StringComparer.Ordinal).Reverse() : [])
            .Select(static dir => Path.Combine(dir, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"System.Text.Json.SourceGeneration.dll was not found under {packs}.");
        return new AnalyzerFileReference(path, new AnalyzerLoader()).GetGenerators(LanguageNames.CSharp);
    }

    private sealed class AnalyzerLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}

/// <summary>One generator run: the driver (to run again), its result, and the compilation with the generated code.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output)
{
    /// <summary>The Gateway generator's part of the run.</summary>
    public GeneratorRunResult Gateway => Result.Results.Single(static r => r.Generator.GetGeneratorType() == typeof(GatewayGenerator));

    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Gateway.Diagnostics;

    /// <summary>Every diagnostic of every generator and of the final compilation, generated code included.</summary>
    public ImmutableArray<Diagnostic> AllDiagnostics => [.. Result.Diagnostics, .. Output.GetDiagnostics()];

    public string Source(string hintName) =>
        Gateway.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
}
