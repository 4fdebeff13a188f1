using Gateway.Client.Generators;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Generators.Tests;

/// <summary>
/// The typed .NET client's generator: snapshots of a proxy and of handlers, each diagnostic with a case that reports
/// it and one that does not, and incremental caching (an edit elsewhere reruns nothing after the parse).
/// </summary>
public sealed class ClientProxyTests
{
    private const string Contracts = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Gateway.Client;

        namespace Chat.Client;

        public sealed record ChatMessage(string Nick, string Text);

        public interface IChatServer
        {
            Task<int> SayAsync(ChatMessage message);
            ValueTask<string?> Nick();
            Task Join(string room, CancellationToken cancellationToken);
            ValueTask Leave();
            IAsyncEnumerable<ChatMessage> History(string room, CancellationToken cancellationToken = default);
            [GatewayEvent("who-is-here")]
            Task<string[]> Members();
        }

        public interface IChatEvents
        {
            ValueTask Message(ChatMessage message);
            [Gateway.ClientEvent("user-joined")]
            Task JoinedAsync(string? nick);
            void Ping();
        }

        public static partial class ChatProxies
        {
            [GatewayServerProxy(typeof(ChatJson))]
            public static partial IChatServer Server(this GatewayConnection connection);

            [GatewayClientHandlers(typeof(ChatJson))]
            internal static partial System.IDisposable Handle(this GatewayConnection connection, IChatEvents handlers);
        }

        [JsonSerializable(typeof(ChatMessage))]
        [JsonSerializable(typeof(int))]
        [JsonSerializable(typeof(string))]
        [JsonSerializable(typeof(string[]))]
        public sealed partial class ChatJson : JsonSerializerContext;
        """;

    /// <summary>A compilation unit: <paramref name="types"/>, a partial class with <paramref name="declaration"/>, and a context <c>Json</c>.</summary>
    private static string Source(string types, string declaration, string attributes) => $$"""
        using System.Threading.Tasks;
        using System.Text.Json.Serialization;
        using Gateway.Client;

        {{types}}

        public static partial class Proxies
        {
            {{declaration}}
        }

        {{attributes}}
        public sealed partial class Json : JsonSerializerContext;
        """;

    private static GeneratorRun Run(params string[] sources) =>
        GeneratorHarness.Run(GeneratorHarness.CreateDriver(new ClientProxyGenerator()), GeneratorHarness.CreateCompilation(sources));

    private static GeneratorRunResult Client(GeneratorRun run) =>
        run.Result.Results.Single(static r => r.Generator.GetGeneratorType() == typeof(ClientProxyGenerator));

    [Fact]
    public void ProxyAndHandlers_Snapshot_CompileWithoutDiagnostics()
    {
        GeneratorRun run = Run(Contracts);

        Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning));
        Snapshot.Verify(Client(run), $"{nameof(ClientProxyTests)}.{nameof(ProxyAndHandlers_Snapshot_CompileWithoutDiagnostics)}");
    }

    [Theory]
    [InlineData("public static IChatServer Server(this GatewayConnection connection) => null!;", false)]
    [InlineData("[GatewayServerProxy(typeof(Json))] public static IChatServer Server(this GatewayConnection connection) => null!;", true)]
    [InlineData("[GatewayServerProxy(typeof(Json))] public static partial IChatServer Server(string connection);", true)]
    [InlineData("[GatewayServerProxy(typeof(string))] public static partial IChatServer Server(this GatewayConnection connection);", true)]
    [InlineData("[GatewayServerProxy(typeof(Json))] public static partial IBadServer Server(this GatewayConnection connection);", true)]
    [InlineData("[GatewayClientHandlers(typeof(Json))] public static partial IChatServer Handle(this GatewayConnection connection, IChatServer handlers);", true)]
    [InlineData("[GatewayServerProxy(typeof(Json))] public static partial IChatServer Server(this GatewayConnection connection);", false)]
    public void GW0022_ReportedForWhatCannotBeGenerated(string declaration, bool reported)
    {
        string source = Source(
            "public interface IChatServer { Task<int> Count(); } public interface IBadServer { int Count(); string Name { get; } }",
            declaration,
            "[JsonSerializable(typeof(int))]");

        Diagnostic[] found = [.. Client(Run(source)).Diagnostics.Where(static d => d.Id == "GW0022")];

        Assert.Equal(reported, found.Length > 0);
        Assert.All(found, static d => Assert.Equal("docs/diagnostics.md#gw0022", d.Descriptor.HelpLinkUri));
    }

    [Theory]
    [InlineData("[JsonSerializable(typeof(int))]", true)]
    [InlineData("[JsonSerializable(typeof(int))][JsonSerializable(typeof(Point))]", false)]
    public void GW0023_ReportedForATypeTheContextLacks(string attributes, bool reported)
    {
        string source = Source(
            "public sealed record Point(int X, int Y); public interface IMoves { Task<int> Move(Point point); }",
            "[GatewayServerProxy(typeof(Json))] public static partial IMoves Moves(this GatewayConnection connection);",
            attributes);

        GeneratorRun run = Run(source);
        Diagnostic[] found = [.. Client(run).Diagnostics.Where(static d => d.Id == "GW0023")];

        Assert.Equal(reported, found.Length > 0);
        if (reported)
        {
            Assert.Contains("'Point'", found[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Contains("'Json'", found[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(run.AllDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error));
        }
    }

    [Fact]
    public void EditElsewhere_ParseCachedOrUnchanged_NoSourceRerun()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Contracts, "public static class Other { public static int Value => 1; }");
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new ClientProxyGenerator()), compilation);
        SyntaxTree other = compilation.SyntaxTrees[1];
        SyntaxTree edited = other.WithChangedText(other.GetText().Replace(other.GetText().ToString().IndexOf("=> 1", StringComparison.Ordinal), 4, "=> 2"));

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(other, edited));

        foreach (string step in new[] { ClientProxyGenerator.ServerProxiesStep, ClientProxyGenerator.ClientHandlersStep })
        {
            IncrementalGeneratorRunStep[] runs = [.. Client(second).TrackedSteps[step]];
            Assert.NotEmpty(runs);
            Assert.All(runs.SelectMany(static r => r.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        Assert.All(Client(second).TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static r => r.Outputs),
            static o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void RenamingAnEvent_FlowsThrough()
    {
        GeneratorRun first = Run(Contracts);
        GeneratorRun second = Run(Contracts.Replace("[GatewayEvent(\"who-is-here\")]", "[GatewayEvent(\"members\")]", StringComparison.Ordinal));

        string before = Client(first).GeneratedSources.Single(static s => s.HintName == "ChatProxies.Server.g.cs").SourceText.ToString();
        string after = Client(second).GeneratedSources.Single(static s => s.HintName == "ChatProxies.Server.g.cs").SourceText.ToString();
        Assert.Contains("\"who-is-here\"", before, StringComparison.Ordinal);
        Assert.Contains("\"members\"", after, StringComparison.Ordinal);
    }
}
