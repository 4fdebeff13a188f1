using System.Globalization;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Generators.Tests;

/// <summary>
/// GW0003 is one rule for handlers of one gateway and of several gateways on a path: claims are ordered by file path,
/// then position, and the later claim (the new handler) is reported, naming the one that already handles the event.
/// </summary>
public sealed class DuplicateEventTests
{
    private const string Older = """
        using Gateway;

        namespace Chat;

        [WebSocketGateway("/chat")]
        public partial class AlphaGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """;

    private const string Newer = """
        using Gateway;

        namespace Chat;

        [WebSocketGateway("/chat")]
        public partial class ZetaGateway
        {
            [SubscribeMessage("ping")]
            public void Knock()
            {
            }
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AcrossGateways_ReportedOnTheLaterFile_WhateverTheCompilationOrder(bool newerFirst)
    {
        (string Path, string Source)[] files = newerFirst ? [("Zeta.cs", Newer), ("Alpha.cs", Older)] : [("Alpha.cs", Older), ("Zeta.cs", Newer)];

        Diagnostic diagnostic = Assert.Single(Run(files));

        Assert.Equal("GW0003", diagnostic.Id);
        Assert.Equal("Zeta.cs", diagnostic.Location.SourceTree?.FilePath);
        Assert.Equal(
            "The event 'ping' on path '/chat' is already handled by AlphaGateway.Ping; each event of a path must have exactly one handler",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("Knock", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void InOneGateway_ReportedOnTheLaterHandler_SameMessage()
    {
        Diagnostic diagnostic = Assert.Single(Run([("Chat.cs", """
            using Gateway;

            namespace Chat;

            [WebSocketGateway("/chat")]
            public partial class ChatGateway
            {
                [SubscribeMessage("ping")]
                public void Ping()
                {
                }

                [SubscribeMessage("ping")]
                public void PingAgain()
                {
                }
            }
            """)]));

        Assert.Equal("PingAgain", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(
            "The event 'ping' on path '/chat' is already handled by ChatGateway.Ping; each event of a path must have exactly one handler",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ThreeClaims_EveryLaterOneReported_AgainstTheFirst()
    {
        string third = Newer.Replace("ZetaGateway", "OmegaGateway", StringComparison.Ordinal);

        Diagnostic[] diagnostics = Run([("Zeta.cs", Newer), ("Omega.cs", third), ("Alpha.cs", Older)]);

        Assert.Equal(["Omega.cs", "Zeta.cs"], diagnostics.Select(static d => d.Location.SourceTree!.FilePath).Order(StringComparer.Ordinal));
        Assert.All(diagnostics, static d => Assert.Contains("AlphaGateway.Ping", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    private static Diagnostic[] Run((string Path, string Source)[] files)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(
            files.Select(static f => CSharpSyntaxTree.ParseText(f.Source, GeneratorHarness.ParseOptions, path: f.Path)));
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        return [.. run.GeneratorDiagnostics.Where(static d => d.Id.StartsWith("GW", StringComparison.Ordinal))];
    }

    [Fact]
    public void Gateways_on_different_ports_may_share_an_event_but_not_with_one_on_every_port()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Gateway;

            namespace Games;

            [WebSocketGateway(8081, "/game")]
            public partial class EastGateway
            {
                [SubscribeMessage("move")]
                public void Move() { }
            }

            [WebSocketGateway(8082, "/game")]
            public partial class WestGateway
            {
                [SubscribeMessage("move")]
                public void Move() { }
            }

            [WebSocketGateway("/game")]
            public partial class EverywhereGateway
            {
                [SubscribeMessage("move")]
                public void Move() { }
            }
            """);

        Diagnostic diagnostic = Assert.Single(run.Result.Diagnostics);
        Assert.Equal("GW0003", diagnostic.Id);
        Assert.Contains("EastGateway.Move", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // Reported on the handler of the last gateway, which every port shares with an earlier one.
        string source = diagnostic.Location.SourceTree!.GetText().ToString();
        Assert.True(source.IndexOf("class EverywhereGateway", StringComparison.Ordinal) < diagnostic.Location.SourceSpan.Start);
    }
}
