using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Generators.Tests;

/// <summary>
/// No public method throws unless the generator intercepts it: the sends without a <c>JsonTypeInfo</c> are not in the
/// runtime but generated into each project (<c>GatewaySendExtensions</c>), and every way to reach them from source is
/// either intercepted or a compile error.
/// </summary>
public sealed class SendContractTests
{
    private const string Header = """
        using System;
        using System.Linq.Expressions;
        using System.Threading;
        using System.Threading.Tasks;
        using Gateway;

        namespace P;

        public static class Calls
        {

        """;

    [Fact]
    public void Runtime_HasNoPublicSendWithoutJsonTypeInfo()
    {
        MethodInfo[] sends = [.. new[] { typeof(GatewayClient), typeof(GatewayTarget) }
            .SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(static m => m.Name is "Send" or "SendAsync" && m.IsGenericMethodDefinition)];

        Assert.NotEmpty(sends);
        Assert.All(sends, static m => Assert.Contains(
            m.GetParameters(), static p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>)));
    }

    [Fact]
    public void WithoutTheGenerator_ASendWithoutMetadata_DoesNotCompile()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Header + """
                public static ValueTask Push(GatewayClient client) => client.SendAsync("e", 1);
            }
            """);

        // Only the overloads that take metadata (or no data) exist in the runtime.
        Diagnostic error = Assert.Single(compilation.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS1503", error.Id);
    }

    [Fact]
    public void InterceptorsNotEnabled_IsACompileErrorSayingWhatToAdd()
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Header + """
                public static ValueTask Push(GatewayClient client) => client.SendAsync("e", 1);
            }
            """, options, path: "Source0.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new GatewayGenerator().AsSourceGenerator()], parseOptions: options);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);

        Diagnostic error = Assert.Single(output.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS9137", error.Id);
        Assert.Contains("<InterceptorsNamespaces>$(InterceptorsNamespaces);Gateway.Generated</InterceptorsNamespaces>",
            error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ExpressionTree_TheCallIsIntercepted()
    {
        GeneratorRun run = GeneratorHarness.Run(Header + """
                public static Expression<Func<GatewayClient, ValueTask>> Push() => client => client.SendAsync("e", 1, CancellationToken.None);

                public static Expression<Func<GatewayTarget, int>> Count() => target => target.Send("e", 2);
            }
            """);
        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        Type calls = assembly.Assembly.GetType("P.Calls", throwOnError: true)!;

        foreach (string name in (string[])["Push", "Count"])
        {
            var tree = (LambdaExpression)calls.GetMethod(name)!.Invoke(null, null)!;
            MethodInfo called = ((MethodCallExpression)tree.Body).Method;
            // The interceptor class is file-local, so its metadata name is mangled around GatewaySendInterceptors.
            Assert.Contains("GatewaySendInterceptors", called.DeclaringType!.FullName, StringComparison.Ordinal);
            Assert.Matches("^(ClientSendAsync|TargetSend)_Int32$", called.Name);
        }
    }

    [Theory]
    [InlineData("public static string Name(GatewayClient client) => nameof(client.SendAsync);")]
    [InlineData("public static string Name(GatewayTarget target) => nameof(target.Send);")]
    public void Nameof_CallsNothing_NoDiagnosticNoInterceptor(string member)
    {
        GeneratorRun run = GeneratorHarness.Run(Header + member + "\n}\n");

        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        Assert.DoesNotContain(run.Gateway.GeneratedSources, static s => s.HintName == "GatewaySendInterceptors.g.cs");
    }

    [Theory]
    [InlineData("public static object F(GatewayClient client) => new Func<string, int, CancellationToken, ValueTask>(client.SendAsync);")]
    [InlineData("public static object F(GatewayClient client) => (Func<string, int, CancellationToken, ValueTask>)client.SendAsync<int>;")]
    public void DelegateFromTheMethod_IsGW0014(string member)
    {
        GeneratorRun run = GeneratorHarness.Run(Header + member + "\n}\n");

        Assert.Equal("GW0014", Assert.Single(run.GeneratorDiagnostics).Id);
    }

    [Theory]
    [InlineData("public static Func<string, int, int> F(GatewayTarget target) => target.Send;")]
    [InlineData("public static object F(GatewayTarget target) => (Func<string, int, ValueTask<int>>)target.SendAsync<int>;")]
    public void DelegateFromTheTargetMethod_IsACompileError(string member)
    {
        GeneratorRun run = GeneratorHarness.Run(Header + member + "\n}\n");

        // GatewayTarget is a struct: C# makes no delegate of an extension method on it, and no instance overload fits.
        Assert.Contains(run.Output.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error && d.Id is "CS0123" or "CS1113");
    }

    [Fact]
    public void StaticCallOfTheGeneratedExtension_IsInterceptedToo()
    {
        GeneratorRun run = GeneratorHarness.Run(Header + """
                public static ValueTask Push(GatewayClient client) => GatewaySendExtensions.SendAsync(client, "e", 1);
            }
            """);

        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        Assert.Contains("ClientSendAsync_Int32", run.Source("GatewaySendInterceptors.g.cs"), StringComparison.Ordinal);
    }
}
