using System.Globalization;
using System.Text;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Gateway.Generators.Tests;

/// <summary>
/// One positive and one negative test per diagnostic. Positive sources mark where each diagnostic must be reported
/// with <c>{|GW0001:text|}</c>, the markup of Microsoft.CodeAnalysis.Testing; the harness checks the id, the exact
/// span and that the message names what it is about. Negative sources are the near-identical correct code: no GW
/// diagnostic, and the generated code compiles with no warning.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Gateway;
        using Microsoft.Extensions.DependencyInjection;

        namespace Chat;

        public interface IClock
        {
            DateTimeOffset Now { get; }
        }

        """;

    [Fact]
    public void GW0001_GatewayNotPartial() => AssertDiagnostics(
        """
        [WebSocketGateway]
        public class {|GW0001:ChatGateway|}
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """,
        "ChatGateway", "'partial'");

    [Fact]
    public void GW0001_GatewayPartial_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Theory]
    [InlineData("", "public abstract partial class {|GW0002:ChatGateway|}", "", "abstract")]
    [InlineData("", "public partial class {|GW0002:ChatGateway|}<T>", "", "generic")]
    [InlineData("public partial class Outer\n{\n", "public partial class {|GW0002:ChatGateway|}", "}\n", "nested in another type")]
    public void GW0002_GatewayNotConcrete(string outerOpen, string declaration, string outerClose, string reason) => AssertDiagnostics(
        $$"""
        {{outerOpen}}[WebSocketGateway]
        {{declaration}}
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        {{outerClose}}
        """,
        "ChatGateway", reason);

    [Fact]
    public void GW0002_ConcreteGateway_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Fact]
    public void GW0003_DuplicateEventInOneGateway() => AssertDiagnostics(
        """
        [WebSocketGateway("/chat")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }

            [SubscribeMessage("ping")]
            public void {|GW0003:PingAgain|}()
            {
            }
        }
        """,
        "'ping'", "'/chat'", "ChatGateway.Ping");

    [Fact]
    public void GW0003_DuplicateEventAcrossGatewaysOnOnePath() => AssertDiagnostics(
        """
        [WebSocketGateway("/chat")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }

        [WebSocketGateway("/chat")]
        public partial class AdminGateway
        {
            [SubscribeMessage("ping")]
            public void {|GW0003:Ping|}()
            {
            }
        }
        """,
        "'ping'", "'/chat'", "ChatGateway");

    [Fact]
    public void GW0003_SameEventOnTwoPaths_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway("/chat")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }

            [SubscribeMessage("ping-again")]
            public void PingAgain()
            {
            }
        }

        [WebSocketGateway("/admin")]
        public partial class AdminGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Fact]
    public void GW0004_ParameterWithoutBindingSource() => AssertDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("identity")]
            public int Identity(int {|GW0004:data|}) => data;
        }
        """,
        "'data'", "'Identity'", "[MessageBody]");

    [Fact]
    public void GW0004_MessageBodyParameter_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("identity")]
            public int Identity([MessageBody] int data) => data;
        }
        """);

    [Theory]
    [InlineData("object", "new object()", "'object'")]
    [InlineData(
        "Task<Task<int>>", "Task.FromResult(Task.FromResult(1))", "'System.Threading.Tasks.Task<System.Threading.Tasks.Task<int>>'")]
    public void GW0005_UnsupportedReturnType(string returnType, string value, string displayed) => AssertDiagnostics(
        $$"""
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("get")]
            public {{returnType}} {|GW0005:Get|}() => {{value}};
        }
        """,
        "'Get'", displayed);

    [Fact]
    public void GW0005_SupportedReturnType_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("get")]
            public Task<int> Get() => Task.FromResult(1);
        }
        """);

    [Fact]
    public void GW0006_ReservedExceptionEvent() => AssertDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("exception")]
            public void {|GW0006:Fail|}()
            {
            }
        }
        """,
        "'Fail'", "'exception'");

    [Fact]
    public void GW0006_OtherEvent_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("exceptions")]
            public void Fail()
            {
            }
        }
        """);

    [Fact]
    public void GW0007_RecordsWithoutJsonMetadata() => AssertDiagnostics(
        """
        public sealed record ChatMessage(string Room, string Text);

        public sealed record Receipt(Guid Id);

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public Receipt {|GW0007:Send|}([MessageBody] ChatMessage {|GW0007:message|}) => new(Guid.NewGuid());
        }
        """,
        "JsonSerializable");

    [Fact]
    public void GW0007_RecordsListedInAContext_NoDiagnostic() => AssertNoDiagnostics(
        """
        public sealed record ChatMessage(string Room, string Text);

        public sealed record Receipt(Guid Id);

        [JsonSerializable(typeof(ChatMessage))]
        [JsonSerializable(typeof(Receipt))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public Receipt Send([MessageBody] ChatMessage message) => new(Guid.NewGuid());
        }
        """);

    [Fact]
    public void GW0008_HandlerOutsideGateway() => AssertDiagnostics(
        """
        public partial class ChatHandlers
        {
            [SubscribeMessage("ping")]
            public void {|GW0008:Ping|}()
            {
            }
        }
        """,
        "'Ping'", "'ChatHandlers'");

    [Fact]
    public void GW0008_HandlerInsideGateway_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatHandlers
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Theory]
    [InlineData("public ChatGateway() : this(null!) { }\n    public ChatGateway(IClock clock) => Clock = clock;", "2 constructors")]
    [InlineData("public ChatGateway(ref int count) => count++;", "'count'")]
    public void GW0009_NoUsableConstructor(string constructors, string reason) => AssertDiagnostics(
        $$"""
        [WebSocketGateway]
        public partial class {|GW0009:ChatGateway|}
        {
            public IClock? Clock { get; }

            {{constructors}}

            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """,
        "'ChatGateway'", reason);

    [Fact]
    public void GW0009_ConstructorChosenByAttribute_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            public IClock? Clock { get; }

            public ChatGateway() : this(null!) { }
            [ActivatorUtilitiesConstructor]
            public ChatGateway(IClock clock) => Clock = clock;

            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Fact]
    public void GW0010_EmptyEventName() => AssertDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("")]
            public void {|GW0010:Ping|}()
            {
            }
        }
        """,
        "'Ping'", "non-empty");

    [Fact]
    public void GW0010_NonEmptyEventName_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("p")]
            public void Ping()
            {
            }
        }
        """);

    [Fact]
    public void GW0011_PathWithoutLeadingSlash() => AssertDiagnostics(
        """
        [WebSocketGateway({|GW0011:"chat"|})]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """,
        "'chat'", "'ChatGateway'");

    [Theory]
    [InlineData("{|GW0011:\"/chat/{a}{b}\"|}", "a parameter must be a whole segment")]
    [InlineData("{|GW0011:\"/chat/room-{id}\"|}", "a parameter must be a whole segment")]
    [InlineData("{|GW0011:\"/files/{*rest}\"|}", "catch-all")]
    [InlineData("{|GW0011:\"/chat/{id}/{ID}\"|}", "appears twice")]
    [InlineData("{|GW0011:\"/chat?x=1\"|}", "query or fragment")]
    [InlineData("{|GW0011:0|}, \"/chat\"", "not a TCP port")]
    [InlineData("{|GW0011:70000|}", "not a TCP port")]
    public void GW0011_TemplatesAndPortsGatewayCannotServe(string arguments, string reason) => AssertDiagnostics(
        $$"""
        [WebSocketGateway({{arguments}})]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """,
        "'ChatGateway'", reason);

    [Theory]
    [InlineData("\"/chat/{roomId}/socket\"")]
    [InlineData("\"/chat/{roomId:int}/{page?}\"")]
    [InlineData("8080")]
    [InlineData("8080, \"/chat/{roomId}\"")]
    public void GW0011_TemplatesAndPorts_NoDiagnostic(string arguments) => AssertNoDiagnostics(
        $$"""
        [WebSocketGateway({{arguments}})]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Fact]
    public void GW0021_RouteParameterNotInThePath() => AssertDiagnostics(
        """
        [WebSocketGateway("/chat/{roomId}")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping([Microsoft.AspNetCore.Mvc.FromRoute] string {|GW0021:room|})
            {
            }

            [SubscribeMessage("pong")]
            public void Pong([Microsoft.AspNetCore.Mvc.FromRoute(Name = "room")] string {|GW0021:roomId|})
            {
            }
        }
        """,
        "'room'", "'/chat/{roomId}'");

    [Fact]
    public void GW0021_RouteParametersOfThePath_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway("/chat/{roomId}/{page:int}")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public string Ping([Microsoft.AspNetCore.Mvc.FromRoute] string roomId, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "PAGE")] int number) => roomId + number;
        }
        """);

    [Fact]
    public void GW0004_RouteValueOfATypeWithoutParse() => AssertDiagnostics(
        """
        [WebSocketGateway("/chat/{roomId}")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping([Microsoft.AspNetCore.Mvc.FromRoute] IClock {|GW0004:roomId|})
            {
            }
        }
        """,
        "IParsable<T>");

    [Fact]
    public void GW0011_PathWithLeadingSlash_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway("/chat")]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """);

    [Fact]
    public void GW0012_GenericHandler() => AssertDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("echo")]
            public string {|GW0012:Echo|}<T>([MessageBody] string text) => text + typeof(T).Name;
        }
        """,
        "'Echo'");

    [Fact]
    public void GW0012_NonGenericHandler_NoDiagnostic() => AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("echo")]
            public string Echo([MessageBody] string text) => text + typeof(int).Name;
        }
        """);

    /// <summary>Asserts exactly the marked GW diagnostics, at the marked spans, with messages that mention every part.</summary>
    /// <returns>The run, for further assertions.</returns>
    internal static GeneratorRun AssertDiagnostics(string markup, params string[] messageParts)
    {
        (string source, List<(string Id, TextSpan Span)> expected) = ParseMarkup(Usings + markup);
        Assert.NotEmpty(expected);
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic[] actual = [.. GatewayDiagnostics(run).OrderBy(static d => d.Location.SourceSpan.Start)];

        Assert.True(
            expected.Count == actual.Length
                && expected.Zip(actual).All(static p => p.First.Id == p.Second.Id && p.First.Span == p.Second.Location.SourceSpan),
            $"Expected:\n{string.Join('\n', expected.Select(e => Describe(source, e.Id, e.Span)))}\nActual:\n"
                + string.Join('\n', actual.Select(d =>
                    $"{Describe(source, d.Id, d.Location.SourceSpan)}: {d.GetMessage(CultureInfo.InvariantCulture)}")));
        foreach (Diagnostic diagnostic in actual)
        {
            Assert.Equal("Source0.cs", diagnostic.Location.SourceTree?.FilePath);
            // Every id is an error but GW0020, a warning whose test checks that.
            Assert.Equal(diagnostic.Id == "GW0020" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.Severity);
            string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            Assert.All(messageParts, part => Assert.Contains(part, message, StringComparison.Ordinal));
            Assert.False(message.EndsWith('.'), $"Messages do not end with a period: {message}");
        }

        return run;
    }

    /// <summary>Asserts no GW diagnostic and generated code that compiles with no warning.</summary>
    /// <returns>The run, for further assertions.</returns>
    internal static GeneratorRun AssertNoDiagnostics(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + source);

        Assert.Empty(GatewayDiagnostics(run).Select(static d => d.ToString()));
        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
        Assert.Contains(run.Gateway.GeneratedSources, static s => s.HintName.StartsWith("Chat.", StringComparison.Ordinal));
        return run;
    }

    private static IEnumerable<Diagnostic> GatewayDiagnostics(GeneratorRun run) =>
        run.Result.Diagnostics.Where(static d => d.Id.StartsWith("GW", StringComparison.Ordinal));

    private static string Describe(string source, string id, TextSpan span)
    {
        LinePosition start = SourceText.From(source).Lines.GetLinePosition(span.Start);
        return $"{id} at ({start.Line + 1},{start.Character + 1}) '{source.Substring(span.Start, span.Length)}'";
    }

    /// <summary>Removes <c>{|ID:text|}</c> markers (not nested), returning the plain source and each marked span.</summary>
    private static (string Source, List<(string Id, TextSpan Span)> Spans) ParseMarkup(string markup)
    {
        var source = new StringBuilder();
        var spans = new List<(string Id, TextSpan Span)>();
        int index = 0;
        while (markup.IndexOf("{|", index, StringComparison.Ordinal) is int open and >= 0)
        {
            int colon = markup.IndexOf(':', open);
            int close = markup.IndexOf("|}", colon, StringComparison.Ordinal);
            source.Append(markup, index, open - index);
            string text = markup[(colon + 1)..close];
            spans.Add((markup[(open + 2)..colon], new TextSpan(source.Length, text.Length)));
            source.Append(text);
            index = close + 2;
        }

        source.Append(markup, index, markup.Length - index);
        return (source.ToString(), spans);
    }
}
