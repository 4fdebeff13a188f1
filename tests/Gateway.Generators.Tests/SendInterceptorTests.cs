using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Gateway.Generators.Tests;

/// <summary>
/// Send calls without a <c>JsonTypeInfo</c> (<c>client.SendAsync("e", data)</c>, <c>target.Send("e", data)</c>) are
/// intercepted and bound to metadata at compile time: the interceptors (snapshot), the calls they list and the ones
/// they leave alone, GW0007, behaviour through a real client and target, and incremental caching.
/// </summary>
public sealed partial class SendInterceptorTests
{
    /// <summary>
    /// Every intercepted shape (a record from a user context, a string, a CancellationToken, target.Send and
    /// target.SendAsync with an int, two calls grouped into one interceptor) beside calls that must be left alone.
    /// </summary>
    public const string SendSource = """
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Gateway;

        namespace Chat.Push;

        public sealed record ChatMessage(string Room, string Text);

        [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
        [JsonSerializable(typeof(ChatMessage))]
        internal sealed partial class PushJsonContext : JsonSerializerContext;

        public static class Pushes
        {
            public static async ValueTask ToClient(GatewayClient client, CancellationToken cancellationToken)
            {
                await client.SendAsync("message", new ChatMessage("red", "hi"));
                await client.SendAsync("topic", "news");
                await client.SendAsync("message", new ChatMessage("blue", "yo"), cancellationToken);
                await client.SendAsync("ping");
                await client.SendAsync("message", new ChatMessage("green", "hey"), PushJsonContext.Default.ChatMessage);
            }

            public static int Count(GatewayTarget target) => target.Send("count", 1) + target.Send("count", 2);

            public static async ValueTask<int> CountAsync(GatewayTarget target) =>
                await target.SendAsync("count", 3) + target.Send("ping");
        }
        """;

    private const string InterceptorsHint = "GatewaySendInterceptors.g.cs";

    /// <summary>The calls of <see cref="SendSource"/> that must be intercepted, in source order.</summary>
    private static readonly string[] s_interceptedCalls =
    [
        "client.SendAsync(\"message\", new ChatMessage(\"red\", \"hi\"))",
        "client.SendAsync(\"topic\", \"news\")",
        "client.SendAsync(\"message\", new ChatMessage(\"blue\", \"yo\"), cancellationToken)",
        "target.Send(\"count\", 1)",
        "target.Send(\"count\", 2)",
        "target.SendAsync(\"count\", 3)",
    ];

    private static readonly IncrementalStepRunReason[] s_notRerun = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Calls_Snapshot_CompileCleanly()
    {
        GeneratorRun run = GeneratorHarness.Run(SendSource);

        AssertCompilesCleanly(run);
        string source = run.Source(InterceptorsHint);
        Assert.Equal(6, InterceptsLocationCount().Count(source));
        // One interceptor per send method and data type, named after both: the two ChatMessage sends and the two int
        // Sends share one.
        Assert.Equal(
            ["ClientSendAsync_ChatMessage", "ClientSendAsync_String", "TargetSend_Int32", "TargetSendAsync_Int32"],
            InterceptorName().Matches(source).Select(static m => m.Groups[1].Value));
        Assert.Contains(
            "global::Chat.Push.ChatMessage data, global::System.Threading.CancellationToken cancellationToken) =>\n"
                + "            client.SendAsync(@event, data, GatewayJsonMetadata.ChatMessage, cancellationToken);",
            source,
            StringComparison.Ordinal);
        Snapshot.Verify(run.Result, nameof(SendInterceptorTests));
    }

    [Fact]
    public void Calls_EachInterceptedCallListedOnce_OthersNot()
    {
        GeneratorRun run = GeneratorHarness.Run(SendSource);
        AssertCompilesCleanly(run);

        // Each [InterceptsLocation] follows a comment naming its call site: exactly the calls that take no metadata.
        string[] expected = [.. s_interceptedCalls.Select(static call => Position(SendSource, call))];
        string[] listed = [.. CallSiteComment().Matches(run.Source(InterceptorsHint)).Select(static m => m.Groups[1].Value)];
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Calls_SendThroughARealClient()
    {
        GeneratorRun run = GeneratorHarness.Run(SendSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        Type pushes = assembly.Assembly.GetType("Chat.Push.Pushes", throwOnError: true)!;
        using var connection = new TestConnection();

        await (ValueTask)Invoke(pushes, "ToClient", connection.Client, CancellationToken.None)!;

        Assert.Equal(
            [
                """{"event":"message","data":{"room":"red","text":"hi"}}""",
                """{"event":"topic","data":"news"}""",
                """{"event":"message","data":{"room":"blue","text":"yo"}}""",
                """{"event":"ping"}""",
                """{"event":"message","data":{"room":"green","text":"hey"}}""",
            ],
            await connection.MessagesAsync(5));
    }

    [Fact]
    public async Task Calls_SendThroughARealTarget()
    {
        GeneratorRun run = GeneratorHarness.Run(SendSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        Type pushes = assembly.Assembly.GetType("Chat.Push.Pushes", throwOnError: true)!;
        using var connection = new TestConnection();

        // Each send queues the frame for the one connection of the target.
        Assert.Equal(2, Invoke(pushes, "Count", connection.All));
        Assert.Equal(2, await (ValueTask<int>)Invoke(pushes, "CountAsync", connection.All)!);

        Assert.Equal(
            [
                """{"event":"count","data":1}""",
                """{"event":"count","data":2}""",
                """{"event":"count","data":3}""",
                """{"event":"ping"}""",
            ],
            await connection.MessagesAsync(4));
    }

    [Fact]
    public async Task Calls_InterceptedEvenOnADefaultTarget()
    {
        GeneratorRun run = GeneratorHarness.Run(SendSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        Type pushes = assembly.Assembly.GetType("Chat.Push.Pushes", throwOnError: true)!;

        // Intercepted, the call reaches the overload with metadata, which finds no registry. (Not intercepted, it does
        // not compile: see SendContractTests.)
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => Invoke(pushes, "Count", default(GatewayTarget))).ParamName);
        ArgumentNullException asynchronous = await Assert.ThrowsAsync<ArgumentNullException>(
            async () => await (ValueTask<int>)Invoke(pushes, "CountAsync", default(GatewayTarget))!);
        Assert.Equal("target", asynchronous.ParamName);
    }

    [Fact]
    public void GW0007_SentTypeInNoContext()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public sealed record Unlisted(int X);

            public static class Pushes
            {
                public static int Push(GatewayTarget target) => {|GW0007:target.Send("unlisted", new Unlisted(1))|};
            }
            """,
            "'Chat.Unlisted'", "[JsonSerializable(typeof(Chat.Unlisted))]");

        // The call is left alone (it throws at run time) and the user's code still compiles.
        Assert.DoesNotContain(run.Gateway.GeneratedSources, static s => s.HintName == InterceptorsHint);
        Assert.Empty(run.Output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
    }

    [Fact]
    public void GW0007_SentTypeInAContext_NoDiagnostic()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            using System.Text.Json.Serialization;
            using Gateway;

            namespace Chat;

            public sealed record Unlisted(int X);

            [JsonSerializable(typeof(Unlisted))]
            internal sealed partial class PushJsonContext : JsonSerializerContext;

            public static class Pushes
            {
                public static int Push(GatewayTarget target) => target.Send("unlisted", new Unlisted(1));
            }
            """);

        AssertCompilesCleanly(run);
        string source = run.Source(InterceptorsHint);
        Assert.Equal(1, InterceptsLocationCount().Count(source));
        Assert.Contains("target.Send(@event, data, GatewayJsonMetadata.Unlisted);", source, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherSendMethods_NotIntercepted()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            using System.Threading;
            using System.Threading.Tasks;
            using System.Text.Json.Serialization;
            using Gateway;

            namespace Chat;

            public sealed record ChatMessage(string Room, string Text);

            [JsonSerializable(typeof(ChatMessage))]
            internal sealed partial class PushJsonContext : JsonSerializerContext;

            public sealed class Mailer
            {
                public int Send<T>(string @event, T data) => 0;

                public ValueTask SendAsync<T>(string @event, T data, CancellationToken cancellationToken = default) => default;
            }

            public static class TargetExtensions
            {
                public static int Send<T>(this GatewayTarget target, string @event, T data, int priority) => priority;
            }

            public static class Pushes
            {
                public static async ValueTask<int> Push(GatewayClient client, GatewayTarget target, Mailer mailer)
                {
                    var message = new ChatMessage("red", "hi");
                    await client.SendAsync("message", message, PushJsonContext.Default.ChatMessage);
                    await client.SendAsync("message", message, PushJsonContext.Default.ChatMessage, CancellationToken.None);
                    await client.SendAsync("ping");
                    await mailer.SendAsync("message", message);
                    return target.Send("message", message, PushJsonContext.Default.ChatMessage)
                        + await target.SendAsync("message", message, PushJsonContext.Default.ChatMessage)
                        + target.Send("ping")
                        + target.Send("message", message, 1)
                        + mailer.Send("message", message);
                }
            }
            """);

        AssertCompilesCleanly(run);
        Assert.DoesNotContain(run.Gateway.GeneratedSources, static s => s.HintName == InterceptorsHint);
        Assert.Empty(run.Gateway.TrackedSteps.GetValueOrDefault(TrackingNames.ParseSendCalls, []).SelectMany(static s => s.Outputs));
    }

    [Fact]
    public void Incremental_EditOtherFile_InterceptorsCached()
    {
        const string other = "namespace Chat.Push;\n\npublic static class Unrelated\n{\n    public static int Answer => 42;\n}\n";
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(SendSource, other);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        AssertCompilesCleanly(first);
        SyntaxTree tree = compilation.SyntaxTrees[1];
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(other.IndexOf("42", StringComparison.Ordinal), 2, "43"));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(tree, edited));

        AssertCompilesCleanly(second);
        AssertReasons(second.Gateway.TrackedSteps[TrackingNames.ResolveSendCalls], TrackingNames.ResolveSendCalls, s_notRerun);
        IncrementalGeneratorRunStep[] interceptorOutput = [.. second.Gateway.TrackedOutputSteps.SelectMany(static s => s.Value)
            .Where(static s => s.Inputs.Any(static i => i.Source.Name == TrackingNames.ResolveSendCalls))];
        Assert.Single(interceptorOutput.SelectMany(static s => s.Outputs));
        AssertReasons(interceptorOutput, "interceptor source output", [IncrementalStepRunReason.Cached]);
        AssertReasons(second.Gateway.TrackedOutputSteps.SelectMany(static s => s.Value), "outputs", s_notRerun);
        Assert.Equal(first.Source(InterceptorsHint), second.Source(InterceptorsHint));
    }

    [Fact]
    public void Incremental_AddCall_InterceptorsRegenerated()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(SendSource);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        SyntaxTree tree = compilation.SyntaxTrees[0];
        const string call = "target.Send(\"count\", 2)";
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(
            SendSource.IndexOf(call, StringComparison.Ordinal), call.Length, call + " + target.Send(\"topic\", \"t\")"));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(tree, edited));

        AssertCompilesCleanly(second);
        Assert.Contains(second.Gateway.TrackedSteps[TrackingNames.ResolveSendCalls].SelectMany(static s => s.Outputs),
            static o => o.Reason == IncrementalStepRunReason.Modified);
        string after = second.Source(InterceptorsHint);
        Assert.Equal(7, InterceptsLocationCount().Count(after));
        Assert.Contains("this in global::Gateway.GatewayTarget target, string @event, string data) =>", after, StringComparison.Ordinal);
    }

    private static object? Invoke(Type type, string method, params object?[] arguments) =>
        (type.GetMethod(method) ?? throw new InvalidOperationException($"{type} has no method {method}."))
            .Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);

    /// <summary>The 1-based line and column of <paramref name="call"/> in <paramref name="source"/>, as the interceptor comments write them.</summary>
    private static string Position(string source, string call)
    {
        int index = source.IndexOf(call, StringComparison.Ordinal);
        Assert.True(index >= 0 && source.IndexOf(call, index + 1, StringComparison.Ordinal) < 0, $"'{call}' is not in the source exactly once.");
        LinePosition position = SourceText.From(source).Lines.GetLinePosition(index);
        return string.Create(CultureInfo.InvariantCulture, $"Source0.cs({position.Line + 1},{position.Character + 1})");
    }

    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Diagnostic[] problems = [.. run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(
            problems.Length == 0,
            "The generated code does not compile cleanly:\n" + string.Join('\n', problems.Select(static d => d.ToString())));
    }

    private static void AssertReasons(IEnumerable<IncrementalGeneratorRunStep> steps, string name, IncrementalStepRunReason[] allowed)
    {
        (object Value, IncrementalStepRunReason Reason)[] outputs = [.. steps.SelectMany(static s => s.Outputs)];
        Assert.True(outputs.Length > 0, $"The step '{name}' has no outputs to check.");
        string[] wrong = [.. outputs.Where(o => !allowed.Contains(o.Reason)).Select(static o => $"{o.Reason}: {o.Value}")];
        Assert.True(wrong.Length == 0, $"The step '{name}' reran:\n" + string.Join('\n', wrong));
    }

    [GeneratedRegex(@"\[global::System\.Runtime\.CompilerServices\.InterceptsLocation\(")]
    private static partial Regex InterceptsLocationCount();

    [GeneratedRegex(@"public static [^\n]*? ((?:ClientSendAsync|TargetSend|TargetSendAsync)_\w+)\(")]
    private static partial Regex InterceptorName();

    [GeneratedRegex(@"// (Source0\.cs\(\d+,\d+\))\n\s*\[global::System\.Runtime\.CompilerServices\.InterceptsLocation\(")]
    private static partial Regex CallSiteComment();
}
