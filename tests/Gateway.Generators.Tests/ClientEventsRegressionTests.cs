using System.Runtime.CompilerServices;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// One test per bug of the <c>[ClientEvents]</c> generator fixed after its first tests: each fails on the generator
/// before the fix, except the two that guard the fixes from going too far (a protected internal contract and a static
/// virtual member are still implemented). Where the contract is valid, the output must compile with no error and no
/// warning, and the proxy must send what the contract says.
/// </summary>
public sealed class ClientEventsRegressionTests
{
    private const string ChatHint = "Chat.IChatEvents.ClientEvents.g.cs";

    // Before the fix a property also got one GW0013 per accessor (get_Count, set_Count), an event one per add/remove.
    [Theory]
    [InlineData("int {|GW0013:Count|} { get; set; }", "'Count'")]
    [InlineData("int {|GW0013:Count|} { get; }", "'Count'")]
    [InlineData("event Action {|GW0013:Changed|};", "'Changed'")]
    [InlineData("int {|GW0013:this|}[int index] { get; set; }", "'this[]'")]
    public void NonMethodMember_OneGW0013(string member, string name)
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            $$"""
            [ClientEvents]
            public interface IChatEvents
            {
                {{member}}

                ValueTask Ping();
            }
            """,
            "'IChatEvents'", name, "is not a method");

        AssertNoImplementation(run);
    }

    [Fact]
    public void ParametersNamedLikeTheSink_SendTheirValue()
    {
        // Before the fix the proxy's primary-constructor parameter 'sink' was shadowed: sink.SendAsync on a string.
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                ValueTask Drain(string sink);

                ValueTask Fill(string _sink);

                Task Flush(int sink);
            }
            """);

        Assert.Contains(
            "ValueTask global::Chat.IChatEvents.Drain(string sink) =>\n        this._sink.SendAsync(\"drain\", sink, GatewayJsonMetadata.String);",
            run.Source(ChatHint),
            StringComparison.Ordinal);
        Assert.Equal(
            [("drain", "\"x\""), ("fill", "\"y\""), ("flush", "3")],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
            {
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "Drain", "x"), typeof(ValueTask));
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "Fill", "y"), typeof(ValueTask));
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "Flush", 3), typeof(Task));
            }));
    }

    [Fact]
    public void EventNameWithMarkupCharacters_NoXmlDocWarning()
    {
        // Before the fix the event name went into the doc comment unescaped: CS1570 (badly formed XML).
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                [ClientEvent("a<b&c")]
                ValueTask Drain();

                [ClientEvent("x>y\"z")]
                ValueTask Fill(string data);
            }
            """);

        Assert.DoesNotContain(run.AllDiagnostics, static d => d.Id == "CS1570");
        string source = run.Source(ChatHint);
        Assert.Contains("/// <summary>Sends <c>{&quot;event&quot;:&quot;a&lt;b&amp;c&quot;}</c>.</summary>", source, StringComparison.Ordinal);
        Assert.Contains(
            "/// <summary>Sends <c>{&quot;event&quot;:&quot;x&gt;y\\&quot;z&quot;,&quot;data&quot;:data}</c>.</summary>",
            source,
            StringComparison.Ordinal);
        Assert.Equal(
            [("a<b&c", null), ("x>y\"z", "\"d\"")],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
            {
                ClientEventsTests.Call(proxy, contract, "Drain");
                ClientEventsTests.Call(proxy, contract, "Fill", "d");
            }));
    }

    [Fact]
    public void PrivateAndProtectedNestedContracts_GW0013_NoCS0122()
    {
        // Before the fix both were implemented by a namespace-level proxy that cannot see them: CS0122.
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public class Outer
            {
                [ClientEvents]
                private interface {|GW0013:IHidden|}
                {
                    ValueTask Ping();
                }

                [ClientEvents]
                protected interface {|GW0013:IFamily|}
                {
                    ValueTask Pong();
                }
            }
            """,
            "it is private or protected");

        Assert.DoesNotContain(run.AllDiagnostics, static d => d.Id == "CS0122");
        AssertNoImplementation(run);
    }

    [Fact]
    public void PrivateProtectedNestedContract_GW0013()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public class Outer
            {
                [ClientEvents]
                private protected interface {|GW0013:IChatEvents|}
                {
                    ValueTask Ping();
                }
            }
            """,
            "'IChatEvents'", "it is private or protected");

        AssertNoImplementation(run);
    }

    [Fact]
    public void ContractNestedInAPrivateClass_GW0013()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public class Outer
            {
                private class Holder
                {
                    [ClientEvents]
                    public interface {|GW0013:IChatEvents|}
                    {
                        ValueTask Ping();
                    }
                }
            }
            """,
            "'IChatEvents'", "it is private or protected");

        AssertNoImplementation(run);
    }

    [Fact]
    public void ProtectedInternalNestedContract_Implemented()
    {
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            public class Outer
            {
                [ClientEvents]
                protected internal interface IChatEvents
                {
                    ValueTask Ping();
                }
            }
            """);

        Assert.Equal(
            [("ping", null)],
            Record(run, "Chat.Outer+IChatEvents", static (proxy, contract) => ClientEventsTests.Call(proxy, contract, "Ping")));
    }

    [Fact]
    public void StaticAbstractMember_GW0013_NoCS0535()
    {
        // Before the fix the static abstract member was skipped: the proxy missed it (CS0535) and could not be a type
        // argument of Register (CS8920).
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                static abstract ValueTask {|GW0013:Make|}();

                ValueTask Ping();
            }
            """,
            "'IChatEvents'", "'Make' is static abstract");

        Assert.DoesNotContain(run.AllDiagnostics, static d => d.Id is "CS0535" or "CS8920");
        AssertNoImplementation(run);
    }

    [Fact]
    public void StaticAbstractMemberOfABase_GW0013()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public interface IFactory
            {
                static abstract ValueTask {|GW0013:Make|}();
            }

            [ClientEvents]
            public interface IChatEvents : IFactory
            {
                ValueTask Ping();
            }
            """,
            "'IChatEvents'", "'Make' is static abstract");

        AssertNoImplementation(run);
    }

    [Fact]
    public void StaticVirtualMember_Implemented()
    {
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                static virtual ValueTask Make() => default;

                ValueTask Ping();
            }
            """);

        Assert.Equal(
            [("ping", null)],
            Record(run, "Chat.IChatEvents", static (proxy, contract) => ClientEventsTests.Call(proxy, contract, "Ping")));
    }

    [Fact]
    public void TwoBasesWithTheSameMethod_EachSendsItsOwnEvent()
    {
        // Before the fix one public Hello() implemented both bases: CS0111 once both were emitted, and one event lost.
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            public interface IA
            {
                ValueTask Hello();
            }

            public interface IB
            {
                [ClientEvent("hi")]
                ValueTask Hello();
            }

            [ClientEvents]
            public interface IChatEvents : IA, IB
            {
            }
            """);

        string source = run.Source(ChatHint);
        Assert.Contains("ValueTask global::Chat.IA.Hello() => this._sink.SendAsync(\"hello\");", source, StringComparison.Ordinal);
        Assert.Contains("ValueTask global::Chat.IB.Hello() => this._sink.SendAsync(\"hi\");", source, StringComparison.Ordinal);
        Assert.Equal(
            [("hello", null), ("hi", null)],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
            {
                Type a = contract.Assembly.GetType("Chat.IA", throwOnError: true)!;
                Type b = contract.Assembly.GetType("Chat.IB", throwOnError: true)!;
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, a, "Hello"), typeof(ValueTask));
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, b, "Hello"), typeof(ValueTask));
            }));
    }

    [Fact]
    public void MembersNamedLikeObjectMembers_NoHidingWarning()
    {
        // Before the fix the public ToString()/GetHashCode() of the proxy hid object's: CS0114 (and CS0508).
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                ValueTask ToString();

                ValueTask GetHashCode();
            }
            """);

        Assert.DoesNotContain(run.AllDiagnostics, static d => d.Id is "CS0114" or "CS0508");
        Assert.Equal(
            [("toString", null), ("getHashCode", null)],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
            {
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "ToString"), typeof(ValueTask));
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "GetHashCode"), typeof(ValueTask));
            }));
    }

    [Fact]
    public void MethodNamedGatewayJsonMetadata_Compiles()
    {
        // Before the fix the proxy's method GatewayJsonMetadata hid the metadata class it read the field from.
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                ValueTask GatewayJsonMetadata(string s);
            }
            """);

        Assert.Equal(
            [("gatewayJsonMetadata", "\"x\"")],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "GatewayJsonMetadata", "x"), typeof(ValueTask))));
    }

    [Fact]
    public void NestedContractAndUnderscoreName_DistinctHintNames_GatewayStillGenerated()
    {
        // Before the fix both were hinted Chat.Outer_IE.ClientEvents.g.cs: the second AddSource threw, the driver reported
        // CS8785 and dropped every output of the generator, the gateway's included.
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            [ClientEvents]
            public interface Outer_IE
            {
                ValueTask A();
            }

            public class Outer
            {
                [ClientEvents]
                public interface IE
                {
                    ValueTask B();
                }
            }

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("ping")]
                public int Ping() => 1;
            }
            """);

        Assert.DoesNotContain(run.Result.Diagnostics, static d => d.Id == "CS8785");
        string[] hints = [.. run.Gateway.GeneratedSources.Select(static s => s.HintName)];
        Assert.Contains("Chat.Outer_IE.ClientEvents.g.cs", hints);
        Assert.Contains("Chat.Outer+IE.ClientEvents.g.cs", hints);
        Assert.Contains("Chat.ChatGateway.Gateway.g.cs", hints);
        Assert.Equal(hints.Length, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        RuntimeHelpers.RunModuleConstructor(assembly.Assembly.ManifestModule.ModuleHandle);
        var sink = new ClientEventsTests.RecordingSink();
        Type underscore = assembly.Assembly.GetType("Chat.Outer_IE", throwOnError: true)!;
        Type nested = assembly.Assembly.GetType("Chat.Outer+IE", throwOnError: true)!;
        ClientEventsTests.Call(ClientEventsTests.CreateProxy(underscore, sink), underscore, "A");
        ClientEventsTests.Call(ClientEventsTests.CreateProxy(nested, sink), nested, "B");
        Assert.Equal([("a", null), ("b", null)], sink.Sent.Select(static s => (s.Event, s.Json)));
        Assert.Equal(["ping"], assembly.Definition("Chat.ChatGateway").Events);
    }

    [Fact]
    public void BaseMemberImplementedByTheContract_KeepsTheUsersBody()
    {
        // Before the fix the proxy implemented IB.Hello too, and a class's implementation wins over the contract's.
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            public interface IB
            {
                ValueTask Hello();
            }

            [ClientEvents]
            public interface IChatEvents : IB
            {
                ValueTask IB.Hello() => default;

                ValueTask Bye();
            }
            """);

        Assert.DoesNotContain("Hello", run.Source(ChatHint), StringComparison.Ordinal);
        Assert.Equal(
            [("bye", null)],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
            {
                Type b = contract.Assembly.GetType("Chat.IB", throwOnError: true)!;
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, b, "Hello"), typeof(ValueTask));
                ClientEventsTests.AssertCompleted(ClientEventsTests.Call(proxy, contract, "Bye"), typeof(ValueTask));
            }));
    }

    [Fact]
    public void BaseMemberReabstractedByTheContract_IsImplemented()
    {
        // The counterpart of the test above: a reabstracted base member has no body, so the proxy must send it.
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics(
            """
            public interface IB
            {
                ValueTask Hello();
            }

            [ClientEvents]
            public interface IChatEvents : IB
            {
                abstract ValueTask IB.Hello();

                ValueTask Bye();
            }
            """);

        Assert.Equal(
            [("hello", null), ("bye", null)],
            Record(run, "Chat.IChatEvents", static (proxy, contract) =>
            {
                ClientEventsTests.Call(proxy, contract.Assembly.GetType("Chat.IB", throwOnError: true)!, "Hello");
                ClientEventsTests.Call(proxy, contract, "Bye");
            }));
    }

    /// <summary>Loads the output, creates the registered proxy of the contract and records what <paramref name="act"/> sends.</summary>
    private static (string Event, string? Json)[] Record(GeneratorRun run, string contractName, Action<object, Type> act)
    {
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        RuntimeHelpers.RunModuleConstructor(assembly.Assembly.ManifestModule.ModuleHandle);
        Type contract = assembly.Assembly.GetType(contractName, throwOnError: true)!;
        var sink = new ClientEventsTests.RecordingSink();
        act(ClientEventsTests.CreateProxy(contract, sink), contract);
        return [.. sink.Sent.Select(static s => (s.Event, s.Json))];
    }

    /// <summary>No proxy is generated, and the user's code (every GW diagnostic aside) compiles with no warning.</summary>
    private static void AssertNoImplementation(GeneratorRun run)
    {
        Assert.DoesNotContain(run.Gateway.GeneratedSources, static s => s.HintName.EndsWith(".ClientEvents.g.cs", StringComparison.Ordinal));
        Assert.Empty(run.AllDiagnostics
            .Where(static d => d.Severity >= DiagnosticSeverity.Warning && !d.Id.StartsWith("GW", StringComparison.Ordinal))
            .Select(static d => d.ToString()));
    }
}
