using Gateway.Generators.Tests.Infrastructure;
using Gateway.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Generators.Tests;

/// <summary>
/// One test per generator bug fixed after the first test suite: each fails on the generator before the fix.
/// Output tests require generated code that compiles with no error and no warning.
/// </summary>
public sealed class RegressionTests
{
    [Fact]
    public void OverloadedHandlerNames_NoAmbiguousCref_BothEventsDispatch()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Gateway;

            namespace Overloads;

            [WebSocketGateway]
            public partial class PingGateway
            {
                [SubscribeMessage("a")]
                public int Ping() => 1;

                [SubscribeMessage("b")]
                public int Ping([MessageBody] int x) => x;
            }
            """);

        AssertCompilesCleanly(run);
        string source = run.Source("Overloads.PingGateway.Gateway.g.cs");
        // A cref to an overloaded name is ambiguous (CS0419); the doc names the method instead.
        Assert.Contains("""/// <summary>Handles "a" with <c>Ping</c>.</summary>""", source, StringComparison.Ordinal);
        Assert.Contains("""/// <summary>Handles "b" with <c>Ping</c>.</summary>""", source, StringComparison.Ordinal);
        Assert.DoesNotContain("cref=\"global::Overloads.PingGateway.Ping\"", source, StringComparison.Ordinal);
        Assert.Contains(
            """1 when global::System.MemoryExtensions.SequenceEqual(utf8EventName, "a"u8) => 0,""", source, StringComparison.Ordinal);
        Assert.Contains(
            """1 when global::System.MemoryExtensions.SequenceEqual(utf8EventName, "b"u8) => 1,""", source, StringComparison.Ordinal);
        Assert.Contains("0 => HandlePing(gateway, message),", source, StringComparison.Ordinal);
        Assert.Contains("1 => HandlePing2(gateway, message),", source, StringComparison.Ordinal);

        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);
        GatewayDefinition definition = assembly.Definition("Overloads.PingGateway");
        Assert.Equal(["a", "b"], definition.Events);
        Assert.Equal(0, definition.FindHandler("a"u8));
        Assert.Equal(1, definition.FindHandler("b"u8));
        Assert.Equal(-1, definition.FindHandler("c"u8));
    }

    [Fact]
    public void WsResponseOfNullableString_NoNullabilityWarning()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Gateway;

            namespace Replies;

            [WebSocketGateway]
            public partial class ReplyGateway
            {
                [SubscribeMessage("a")]
                public WsResponse<string?> A() => new("x", null);

                [SubscribeMessage("b")]
                public Task<WsResponse<string?>> B() => Task.FromResult(new WsResponse<string?>("y", null));

                [SubscribeMessage("c")]
                public async IAsyncEnumerable<WsResponse<string?>> C()
                {
                    await Task.Yield();
                    yield return new("z", null);
                }
            }
            """);

        // Before the fix: CS8620, WsResponse<string?> passed where WsResponse<string> is expected.
        Assert.DoesNotContain(run.AllDiagnostics, static d => d.Id == "CS8620");
        AssertCompilesCleanly(run);
        string source = run.Source("Replies.ReplyGateway.Gateway.g.cs");
        Assert.Contains("return message.ReplyEventAsync(result!, GatewayJsonMetadata.String);", source, StringComparison.Ordinal);
        Assert.Contains(
            "await message.ReplyEventAsync(result!, GatewayJsonMetadata.String).ConfigureAwait(false);", source, StringComparison.Ordinal);
        Assert.Contains(
            "await message.ReplyEventItemAsync(item!, GatewayJsonMetadata.String).ConfigureAwait(false);", source, StringComparison.Ordinal);
    }

    private const string DefaultsSource = """
        using System;
        using Gateway;

        namespace Defaults;

        public interface IClock
        {
            DateTimeOffset Now { get; }
        }

        [WebSocketGateway]
        public partial class DefaultsGateway(
            string prefix = "x", int retries = 3, DayOfWeek day = DayOfWeek.Friday, float f = 1.5f, IClock? clock = null)
        {
            public string Prefix => prefix;

            public int Retries => retries;

            public DayOfWeek Day => day;

            public float F => f;

            public IClock? Clock => clock;

            [SubscribeMessage("ping")]
            public string Ping() => prefix;
        }
        """;

    [Fact]
    public void ConstructorDefaultValues_AreEmitted()
    {
        GeneratorRun run = GeneratorHarness.Run(DefaultsSource);

        AssertCompilesCleanly(run);
        string source = run.Source("Defaults.DefaultsGateway.Gateway.g.cs");
        Assert.Contains("GetServiceOrDefault<string>(services, (string)(\"x\")),", source, StringComparison.Ordinal);
        Assert.Contains("GetServiceOrDefault<int>(services, (int)(3)),", source, StringComparison.Ordinal);
        Assert.Contains(
            "GetServiceOrDefault<global::System.DayOfWeek>(services, (global::System.DayOfWeek)(5)),", source, StringComparison.Ordinal);
        Assert.Contains("GetServiceOrDefault<float>(services, (float)(1.5)),", source, StringComparison.Ordinal);
        Assert.Contains("GetServiceOrDefault<global::Defaults.IClock?>(services, default));", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructorDefaultValues_ReachTheInstance()
    {
        GeneratorRun run = GeneratorHarness.Run(DefaultsSource);
        AssertCompilesCleanly(run);
        using GeneratedAssembly assembly = GeneratedAssembly.Load(run.Output);

        using (ServiceProvider empty = new ServiceCollection().BuildServiceProvider())
        {
            object gateway = assembly.Create("Defaults.DefaultsGateway", empty);

            Assert.Equal("x", GeneratedAssembly.Property(gateway, "Prefix"));
            Assert.Equal(3, GeneratedAssembly.Property(gateway, "Retries"));
            Assert.Equal(DayOfWeek.Friday, GeneratedAssembly.Property(gateway, "Day"));
            Assert.Equal(1.5f, GeneratedAssembly.Property(gateway, "F"));
            Assert.Null(GeneratedAssembly.Property(gateway, "Clock"));
        }

        // A registered service still wins over the default.
        using (ServiceProvider registered = new ServiceCollection()
            .AddSingleton("registered")
            .AddSingleton(typeof(int), 7)
            .BuildServiceProvider())
        {
            object gateway = assembly.Create("Defaults.DefaultsGateway", registered);

            Assert.Equal("registered", GeneratedAssembly.Property(gateway, "Prefix"));
            Assert.Equal(7, GeneratedAssembly.Property(gateway, "Retries"));
            Assert.Equal(DayOfWeek.Friday, GeneratedAssembly.Property(gateway, "Day"));
        }
    }

    [Fact]
    public void HandlerServiceDefaultValue_IsEmitted()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Gateway;
            using Microsoft.AspNetCore.Mvc;

            namespace Defaults;

            [WebSocketGateway]
            public partial class TagGateway
            {
                [SubscribeMessage("tag")]
                public string Tag([FromServices] string tag = "t") => tag;
            }
            """);

        // Before the fix: GetService<string>() passed a string? to 'tag' (CS8604) and dropped "t".
        AssertCompilesCleanly(run);
        Assert.Contains(
            "message.GetServiceOrDefault<string>((string)(\"t\")))",
            run.Source("Defaults.TagGateway.Gateway.g.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void KeywordNamespace_HintNameWithoutAt()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Gateway;

            namespace @class.Inner;

            [WebSocketGateway]
            public partial class InnerGateway
            {
                [SubscribeMessage("ping")]
                public int Ping([MessageBody] int x) => x;
            }
            """);

        // Before the fix AddSource threw on the '@' and the driver reported CS8785 instead of generating.
        Assert.DoesNotContain(run.Result.Diagnostics, static d => d.Id == "CS8785");
        Assert.All(run.Gateway.GeneratedSources, static s => Assert.DoesNotContain('@', s.HintName));
        AssertCompilesCleanly(run);
        Assert.Contains("namespace @class.Inner;", run.Source("class.Inner.InnerGateway.Gateway.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void KeywordClassAndMethodNames_AreEscaped()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Gateway;

            namespace Keywords;

            [WebSocketGateway]
            public partial class @event
            {
                [SubscribeMessage("a")]
                public int @int([MessageBody] int x) => x;
            }
            """);

        AssertCompilesCleanly(run);
        string source = run.Source("Keywords.event.Gateway.g.cs");
        Assert.Contains(
            "partial class @event : global::Gateway.Infrastructure.IWebSocketGateway<global::Keywords.@event>", source, StringComparison.Ordinal);
        Assert.Contains("gateway.@int(", source, StringComparison.Ordinal);
        Assert.Contains("cref=\"global::Keywords.@event.@int\"", source, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateNestedJsonContext_IsNotUsed()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public sealed record Point(int X, int Y);

            public static partial class Holder
            {
                [JsonSerializable(typeof(Point))]
                private sealed partial class HiddenJsonContext : JsonSerializerContext;
            }

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("move")]
                public Point Move([MessageBody] Point {|GW0007:point|}) => point;
            }
            """,
            "'Chat.Point'");

        // Before the fix the generated code read HiddenJsonContext.Default from the gateway: CS0122.
        Assert.Empty(run.Output.GetDiagnostics()
            .Where(static d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(static d => d.ToString()));
        Assert.DoesNotContain(run.Gateway.GeneratedSources, static s => s.HintName == "Chat.ChatGateway.Gateway.g.cs");
    }

    [Fact]
    public void InternalNestedJsonContext_IsUsed()
    {
        GeneratorRun run = DiagnosticTests.AssertNoDiagnostics("""
            public sealed record Point(int X, int Y);

            public static partial class Holder
            {
                [JsonSerializable(typeof(Point))]
                internal sealed partial class NestedJsonContext : JsonSerializerContext;
            }

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("move")]
                public Point Move([MessageBody] Point point) => point;
            }
            """);

        Assert.Contains(
            "global::Chat.Holder.NestedJsonContext.Default.GetTypeInfo(typeof(global::Chat.Point))",
            run.Source("Chat.ChatGateway.Gateway.g.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void FileLocalGateway_GW0002() => DiagnosticTests.AssertDiagnostics(
        """
        [WebSocketGateway]
        file partial class {|GW0002:ChatGateway|}
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """,
        "'ChatGateway'", "file-local");

    [Fact]
    public void StaticGateway_GW0002_NotGW0009()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            [WebSocketGateway]
            public static partial class {|GW0002:ChatGateway|}
            {
                [SubscribeMessage("ping")]
                public static void Ping()
                {
                }
            }
            """,
            "'ChatGateway'", "static");

        // A static class has no constructor; before the fix it also got "it has 0 constructors".
        Assert.DoesNotContain(run.GeneratorDiagnostics, static d => d.Id == "GW0009");
    }

    [Fact]
    public void DuplicateEventAcrossGateways_NamesFirstMethod() => DiagnosticTests.AssertDiagnostics(
        """
        [WebSocketGateway("/chat")]
        public partial class FirstGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }

        [WebSocketGateway("/chat")]
        public partial class SecondGateway
        {
            [SubscribeMessage("ping")]
            public void {|GW0003:Knock|}()
            {
            }
        }
        """,
        "'ping'", "'/chat'", "already handled by FirstGateway.Ping;");

    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Diagnostic[] problems = [.. run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(
            problems.Length == 0,
            "The generated code does not compile cleanly:\n" + string.Join('\n', problems.Select(static d => d.ToString())));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.Gateway.GeneratedSources, static s => s.HintName.EndsWith(".Gateway.g.cs", StringComparison.Ordinal));
    }
}
