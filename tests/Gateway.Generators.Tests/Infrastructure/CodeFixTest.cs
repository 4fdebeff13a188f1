using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Gateway.Generators.Tests.Infrastructure;

/// <summary>
/// A Microsoft.CodeAnalysis.Testing code-fix test whose diagnostics come from the Gateway generator (run by the
/// framework through <see cref="GetSourceGenerators"/>, with the System.Text.Json generator beside it so that contexts
/// compile). References are <see cref="TestReferences.All"/>: nothing is resolved or downloaded at test time.
/// Compiler errors are verified too, before and after the fix, generated code included.
/// </summary>
internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        // A ReferenceAssemblies without a package resolves to nothing, so the framework never goes to NuGet.
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(TestReferences.All);
        // The generated sources are the generator's business (snapshot tests); here only the user's files are compared.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(GatewayGenerator), .. GeneratorHarness.JsonGeneratorTypes];

    protected override ParseOptions CreateParseOptions() => GeneratorHarness.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}
