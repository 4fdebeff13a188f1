using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Generators.Tests.Infrastructure;
using Gateway.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Generators.Tests;

/// <summary>
/// <c>[ClientEvents]</c> contracts: the generated proxy and its registration (snapshot and behaviour), GW0013 and GW0007
/// (one positive and one negative test per reason), and incremental caching.
/// </summary>
public sealed class ClientEventsTests
{
    /// <summary>
    /// A contract with every event shape (record data, renamed, Task-returning with a nullable parameter, no data), a
    /// contract that inherits a member and declares static and default-implemented members, and a nested contract.
    /// </summary>
    public const string ContractSource = """
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Gateway;

        namespace Chat.Events;

        public sealed record ChatMessage(string Room, string Text);

        [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
        [JsonSerializable(typeof(ChatMessage))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask Message(ChatMessage message);

            [ClientEvent("user-joined")]
            Task JoinedAsync(string? nick);

            ValueTask Ping();
        }

        public interface IBase
        {
            ValueTask Hello();
        }

        [ClientEvents]
        public interface IDerived : IBase
        {
            ValueTask TypingAsync(ChatMessage? draft);

            static string Describe() => "derived";

            ValueTask Bye() => Hello();
        }

        public sealed class Rooms
        {
            [ClientEvents]
            public interface IRoomEvents
            {
                ValueTask Closed(string room);
            }
        }
        """;

    private const string ChatHint = "Chat.Events.IChatEvents.ClientEvents.g.cs";

    [Fact]
    public void Contracts_Snapshot_CompileCleanly()
    {
        GeneratorRun run = GeneratorHarness.Run(ContractSource);

        AssertCompilesCleanly(run);
        Assert.Equal(
            ["Chat.Events.IChatEvents.ClientEvents.g.cs", "Chat.Events.IDerived.ClientEvents.g.cs", "Chat.Events.Rooms+IRoomEvents.ClientEvents.g.cs"],
            run.Gateway.GeneratedSources.Select(static s => s.HintName).Where(static h => h.EndsWith(".ClientEvents.g.cs", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        Snapshot.Verify(run.Result, nameof(ClientEventsTests));
    }

    [Fact]
    public void Contracts_SendEveryEventThroughTheSink()
    {
        GeneratorRun run = GeneratorHarness.Run(ContractSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        Type chatEvents = assembly.Assembly.GetType("Chat.Events.IChatEvents", throwOnError: true)!;
        Type derived = assembly.Assembly.GetType("Chat.Events.IDerived", throwOnError: true)!;
        Type baseEvents = assembly.Assembly.GetType("Chat.Events.IBase", throwOnError: true)!;
        Type roomEvents = assembly.Assembly.GetType("Chat.Events.Rooms+IRoomEvents", throwOnError: true)!;
        var sink = new RecordingSink();

        RuntimeHelpers.RunModuleConstructor(assembly.Assembly.ManifestModule.ModuleHandle);
        object chat = CreateProxy(chatEvents, sink);
        object derivedProxy = CreateProxy(derived, sink);
        object rooms = CreateProxy(roomEvents, sink);

        Assert.Same(assembly.Assembly, chat.GetType().Assembly);
        Assert.False(chat.GetType().IsPublic);
        object message = Activator.CreateInstance(assembly.Assembly.GetType("Chat.Events.ChatMessage", throwOnError: true)!, "red", "hi")!;
        AssertCompleted(Call(chat, chatEvents, "Message", message), typeof(ValueTask));
        AssertCompleted(Call(chat, chatEvents, "JoinedAsync", "ann"), typeof(Task));
        AssertCompleted(Call(chat, chatEvents, "JoinedAsync", [null]), typeof(Task));
        AssertCompleted(Call(chat, chatEvents, "Ping"), typeof(ValueTask));
        AssertCompleted(Call(derivedProxy, baseEvents, "Hello"), typeof(ValueTask));
        AssertCompleted(Call(derivedProxy, derived, "TypingAsync", message), typeof(ValueTask));
        AssertCompleted(Call(derivedProxy, derived, "TypingAsync", [null]), typeof(ValueTask));
        // The default-implemented member keeps the user's body, which sends "hello".
        AssertCompleted(Call(derivedProxy, derived, "Bye"), typeof(ValueTask));
        AssertCompleted(Call(rooms, roomEvents, "Closed", "red"), typeof(ValueTask));

        Assert.Equal(
            [
                ("message", """{"room":"red","text":"hi"}"""),
                ("user-joined", "\"ann\""),
                ("user-joined", "null"),
                ("ping", null),
                ("hello", null),
                ("typing", """{"room":"red","text":"hi"}"""),
                ("typing", "null"),
                ("hello", null),
                ("closed", "\"red\""),
            ],
            sink.Sent.Select(static s => (s.Event, s.Json)));
        Assert.Same(message, sink.Sent[0].Data);
        Assert.Same(message, sink.Sent[5].Data);
        Assert.Equal(typeof(string), sink.Sent[1].DataType);
        Assert.Equal(message.GetType(), sink.Sent[5].DataType);
    }

    [Fact]
    public async Task Contracts_ProxyReturnsTheSinksPendingSend()
    {
        GeneratorRun run = GeneratorHarness.Run(ContractSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        Type chatEvents = assembly.Assembly.GetType("Chat.Events.IChatEvents", throwOnError: true)!;
        RuntimeHelpers.RunModuleConstructor(assembly.Assembly.ManifestModule.ModuleHandle);
        var sink = new RecordingSink();
        object chat = CreateProxy(chatEvents, sink);

        var pending = new TaskCompletionSource();
        sink.Completion = pending.Task;
        var joined = (Task)Call(chat, chatEvents, "JoinedAsync", "ann")!;
        var ping = (ValueTask)Call(chat, chatEvents, "Ping")!;

        Assert.False(joined.IsCompleted);
        Assert.False(ping.IsCompleted);
        pending.SetException(new InvalidOperationException("closed"));
        Assert.Equal("closed", (await Assert.ThrowsAsync<InvalidOperationException>(() => joined)).Message);
        Assert.Equal("closed", (await Assert.ThrowsAsync<InvalidOperationException>(ping.AsTask)).Message);
    }

    [Fact]
    public void Contracts_EachRegisteredByAModuleInitializer()
    {
        GeneratorRun run = GeneratorHarness.Run(ContractSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        string[] contracts = ["Chat.Events.IChatEvents", "Chat.Events.IDerived", "Chat.Events.Rooms+IRoomEvents"];

        MethodInfo[] initializers = [.. assembly.Assembly.GetTypes()
            .SelectMany(static t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(static m => m.IsDefined(typeof(ModuleInitializerAttribute)))];
        RuntimeHelpers.RunModuleConstructor(assembly.Assembly.ManifestModule.ModuleHandle);

        Assert.Equal(
            ["IChatEventsRegistration", "IDerivedRegistration", "Rooms_IRoomEventsRegistration"],
            initializers.Select(static m => m.DeclaringType!.Name[(m.DeclaringType.Name.LastIndexOf("__", StringComparison.Ordinal) + 2)..])
                .Order(StringComparer.Ordinal));
        foreach (string name in contracts)
        {
            Type contract = assembly.Assembly.GetType(name, throwOnError: true)!;
            object proxy = CreateProxy(contract, new RecordingSink());
            Assert.True(contract.IsInstanceOfType(proxy), $"The proxy registered for {name} is a {proxy.GetType()}.");
            Assert.Same(assembly.Assembly, proxy.GetType().Assembly);
        }
    }

    [Theory]
    [InlineData("int")]
    [InlineData("void")]
    [InlineData("ValueTask<int>")]
    [InlineData("Task<string>")]
    public void GW0013_MethodReturnsNeitherValueTaskNorTask(string returnType) => AssertContractRejected(
        $$"""
        [ClientEvents]
        public interface IChatEvents
        {
            {{returnType}} {|GW0013:Count|}();
        }
        """,
        "'IChatEvents'", "'Count'", "ValueTask or Task");

    [Theory]
    [InlineData("ValueTask")]
    [InlineData("Task")]
    public void GW0013_MethodReturnsValueTaskOrTask_NoDiagnostic(string returnType) => AssertContractAccepted(
        $$"""
        [ClientEvents]
        public interface IChatEvents
        {
            {{returnType}} Count();
        }
        """);

    [Fact]
    public void GW0013_GenericMethod() => AssertContractRejected(
        """
        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask {|GW0013:Send|}<T>(string data);
        }
        """,
        "'IChatEvents'", "'Send' is generic");

    [Fact]
    public void GW0013_NonGenericMethod_NoDiagnostic() => AssertContractAccepted(
        """
        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask Send(string data);
        }
        """);

    [Fact]
    public void GW0013_TwoParameters() => AssertContractRejected(
        """
        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask {|GW0013:Move|}(int x, int y);
        }
        """,
        "'IChatEvents'", "'Move'", "2 parameters");

    [Fact]
    public void GW0013_OneArrayParameter_NoDiagnostic() => AssertContractAccepted(
        """
        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask Move(int[] position);
        }
        """);

    [Fact]
    public void GW0013_DefaultImplementedProperty_NoDiagnostic() => AssertContractAccepted(
        """
        [ClientEvents]
        public interface IChatEvents
        {
            int Count => 0;

            ValueTask Ping();
        }
        """);

    [Theory]
    [InlineData("ValueTask Ping();\n    [ClientEvent(\"ping\")]\n    ValueTask {|GW0013:PingAgain|}();", "'PingAgain'")]
    [InlineData("ValueTask Ping();\n    Task {|GW0013:PingAsync|}();", "'PingAsync'")]
    public void GW0013_TwoMethodsSendOneEvent(string members, string method) => AssertContractRejected(
        $$"""
        [ClientEvents]
        public interface IChatEvents
        {
            {{members}}
        }
        """,
        "'IChatEvents'", "'ping'", method);

    [Fact]
    public void GW0013_TwoMethodsSendTwoEvents_NoDiagnostic() => AssertContractAccepted(
        """
        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask Ping();

            [ClientEvent("ping-again")]
            ValueTask PingAgain();
        }
        """);

    [Fact]
    public void GW0013_GenericInterface() => AssertContractRejected(
        """
        [ClientEvents]
        public interface {|GW0013:IChatEvents|}<T>
        {
            ValueTask Ping();
        }
        """,
        "'IChatEvents'", "generic");

    [Fact]
    public void GW0013_InterfaceClosingAGenericBase_NoDiagnostic()
    {
        GeneratorRun run = AssertContractAccepted(
            """
            public interface ISender<T>
            {
                ValueTask Send(T data);
            }

            [ClientEvents]
            public interface IChatEvents : ISender<string>
            {
                ValueTask Ping();
            }
            """);

        // The closed base's method is implemented explicitly, through the constructed interface.
        Assert.Contains(
            "global::System.Threading.Tasks.ValueTask global::Chat.ISender<string>.Send(string data) =>\n"
                + "        this._sink.SendAsync(\"send\", data, GatewayJsonMetadata.String);",
            run.Source("Chat.IChatEvents.ClientEvents.g.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void GW0007_DataTypeWithoutJsonMetadata() => AssertContractRejected(
        """
        public sealed record ChatMessage(string Room, string Text);

        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask Message(ChatMessage {|GW0007:message|});

            ValueTask Ping();
        }
        """,
        "'Chat.ChatMessage'", "[JsonSerializable(typeof(Chat.ChatMessage))]");

    [Fact]
    public void GW0007_DataTypeListedInAContext_NoDiagnostic() => AssertContractAccepted(
        """
        public sealed record ChatMessage(string Room, string Text);

        [JsonSerializable(typeof(ChatMessage))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [ClientEvents]
        public interface IChatEvents
        {
            ValueTask Message(ChatMessage message);

            ValueTask Ping();
        }
        """);

    private static readonly IncrementalStepRunReason[] s_notRerun = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Incremental_UnrelatedFile_ContractsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ContractSource);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        AssertCompilesCleanly(first);
        SyntaxTree unrelated = CSharpSyntaxTree.ParseText(
            "namespace Chat.Events;\n\npublic static class Unrelated\n{\n    public static int Answer => 42;\n}\n",
            GeneratorHarness.ParseOptions,
            path: "Unrelated.cs");

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.AddSyntaxTrees(unrelated));

        // ParseClientEvents itself reruns on every compilation (its result carries diagnostics and locations, as the
        // gateways' Parse does); the spec after it must compare equal, so nothing downstream runs again.
        foreach (string step in (string[])[TrackingNames.ClientEventsSpec, TrackingNames.BindClientEvents, TrackingNames.ResolveClientEvents])
        {
            AssertReasons(second.Gateway.TrackedSteps[step], step, s_notRerun);
        }

        IncrementalGeneratorRunStep[] contractOutputs = ContractSourceOutputs(second.Gateway);
        Assert.Equal(3, contractOutputs.SelectMany(static s => s.Outputs).Count());
        AssertReasons(contractOutputs, "contract source output", [IncrementalStepRunReason.Cached]);
        AssertReasons(second.Gateway.TrackedOutputSteps.SelectMany(static s => s.Value), "outputs", s_notRerun);
        Assert.Equal(SourcesOf(first), SourcesOf(second));
    }

    [Fact]
    public void Incremental_RenameMethod_ContractRegenerated()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ContractSource);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        SyntaxTree tree = compilation.SyntaxTrees[0];
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("ValueTask Ping();", StringComparison.Ordinal), "ValueTask Ping();".Length, "ValueTask Pong();"));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(tree, edited));

        AssertCompilesCleanly(second);
        Assert.Contains(
            second.Gateway.TrackedSteps[TrackingNames.ResolveClientEvents].SelectMany(static s => s.Outputs),
            static o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(ContractSourceOutputs(second.Gateway).SelectMany(static s => s.Outputs),
            static o => o.Reason == IncrementalStepRunReason.Modified);
        string before = first.Source(ChatHint);
        string after = second.Source(ChatHint);
        Assert.Contains(
            "ValueTask global::Chat.Events.IChatEvents.Ping() => this._sink.SendAsync(\"ping\");", before, StringComparison.Ordinal);
        Assert.Contains(
            "ValueTask global::Chat.Events.IChatEvents.Pong() => this._sink.SendAsync(\"pong\");", after, StringComparison.Ordinal);
        Assert.DoesNotContain("ping", after, StringComparison.OrdinalIgnoreCase);
        // The other contracts did not change.
        Assert.Equal(first.Source("Chat.Events.IDerived.ClientEvents.g.cs"), second.Source("Chat.Events.IDerived.ClientEvents.g.cs"));
    }

    [Fact]
    public void Incremental_TypeAddedToAContext_ContractGenerated()
    {
        const string contract = """
            using System.Threading.Tasks;
            using Gateway;

            namespace Chat;

            public sealed record ChatMessage(string Room, string Text);

            [ClientEvents]
            public interface IChatEvents
            {
                ValueTask Message(ChatMessage message);
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(contract);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Equal("GW0007", Assert.Single(first.GeneratorDiagnostics).Id);
        Assert.DoesNotContain(first.Gateway.GeneratedSources, static s => s.HintName == "Chat.IChatEvents.ClientEvents.g.cs");
        SyntaxTree context = CSharpSyntaxTree.ParseText(
            """
            using System.Text.Json.Serialization;

            namespace Chat;

            [JsonSerializable(typeof(ChatMessage))]
            internal sealed partial class ChatJsonContext : JsonSerializerContext;
            """,
            GeneratorHarness.ParseOptions,
            path: "Context.cs");

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.AddSyntaxTrees(context));

        AssertCompilesCleanly(second);
        Assert.Contains(
            "this._sink.SendAsync(\"message\", message, GatewayJsonMetadata.ChatMessage);",
            second.Source("Chat.IChatEvents.ClientEvents.g.cs"),
            StringComparison.Ordinal);
    }

    /// <summary>The marked diagnostics, and no implementation of the contract.</summary>
    private static void AssertContractRejected(string markup, params string[] messageParts)
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(markup, messageParts);
        Assert.DoesNotContain(run.Gateway.GeneratedSources, static s => s.HintName.EndsWith(".ClientEvents.g.cs", StringComparison.Ordinal));
    }

    /// <summary>No diagnostic, an implementation of <c>Chat.IChatEvents</c>, and generated code that compiles cleanly.</summary>
    private static GeneratorRun AssertContractAccepted(string source)
    {
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(source);
        Assert.Contains(run.Gateway.GeneratedSources, static s => s.HintName == "Chat.IChatEvents.ClientEvents.g.cs");
        return run;
    }

    internal static void AssertCompilesCleanly(GeneratorRun run)
    {
        Diagnostic[] problems = [.. run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(
            problems.Length == 0,
            "The generated code does not compile cleanly:\n" + string.Join('\n', problems.Select(static d => d.ToString())));
    }

    internal static object CreateProxy(Type contract, IGatewayEventSink sink)
    {
        MethodInfo create = typeof(GatewayClientEvents).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("GatewayClientEvents has no internal static Create<TEvents>.");
        return create.MakeGenericMethod(contract).Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, [sink], culture: null)!;
    }

    internal static object? Call(object proxy, Type contract, string method, params object?[] arguments) =>
        (contract.GetMethod(method) ?? throw new InvalidOperationException($"{contract} has no method {method}."))
            .Invoke(proxy, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);

    internal static void AssertCompleted(object? result, Type expectedType)
    {
        Assert.NotNull(result);
        Assert.IsAssignableFrom(expectedType, result);
        Assert.True(result is ValueTask { IsCompletedSuccessfully: true } or Task { IsCompletedSuccessfully: true }, $"{result} did not complete.");
    }

    private static IncrementalGeneratorRunStep[] ContractSourceOutputs(GeneratorRunResult result) =>
        [.. result.TrackedOutputSteps.SelectMany(static s => s.Value)
            .Where(static s => s.Inputs.Any(static i => i.Source.Name == TrackingNames.ResolveClientEvents))];

    private static void AssertReasons(IEnumerable<IncrementalGeneratorRunStep> steps, string name, IncrementalStepRunReason[] allowed)
    {
        (object Value, IncrementalStepRunReason Reason)[] outputs = [.. steps.SelectMany(static s => s.Outputs)];
        Assert.True(outputs.Length > 0, $"The step '{name}' has no outputs to check.");
        string[] wrong = [.. outputs.Where(o => !allowed.Contains(o.Reason)).Select(static o => $"{o.Reason}: {o.Value}")];
        Assert.True(wrong.Length == 0, $"The step '{name}' reran:\n" + string.Join('\n', wrong));
    }

    private static string[] SourcesOf(GeneratorRun run) =>
        [.. run.Gateway.GeneratedSources.Select(static s => s.HintName + "\n" + s.SourceText)];

    /// <summary>Records every frame a proxy sends, with its data serialized by the metadata the proxy passed.</summary>
    internal sealed class RecordingSink : IGatewayEventSink
    {
        public List<(string Event, string? Json, object? Data, Type? DataType)> Sent { get; } = [];

        /// <summary>What each send returns; completed unless a test makes it pending.</summary>
        public Task Completion { get; set; } = Task.CompletedTask;

        public ValueTask SendAsync<T>(string eventName, T data, JsonTypeInfo<T> typeInfo)
        {
            Sent.Add((eventName, JsonSerializer.Serialize(data, typeInfo), data, typeof(T)));
            return new ValueTask(Completion);
        }

        public ValueTask SendAsync(string eventName)
        {
            Sent.Add((eventName, null, null, null));
            return new ValueTask(Completion);
        }
    }
}
