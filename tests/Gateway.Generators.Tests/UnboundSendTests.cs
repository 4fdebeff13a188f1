using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// GW0014: a send without a JsonTypeInfo that cannot be bound at compile time is an error rather than a call that
/// throws at run time; conditional calls are intercepted like plain ones.
/// </summary>
public sealed class UnboundSendTests
{
    [Theory]
    [InlineData("public static ValueTask Push<T>(GatewayClient c, T data) => {|GW0014:c.SendAsync(\"n\", data)|};", "type parameter")]
    [InlineData("public static ValueTask Push(GatewayClient c, object o) => {|GW0014:c.SendAsync(\"n\", o)|};", "compile-time JSON shape")]
    [InlineData("public static int Push(GatewayTarget t) => {|GW0014:t.Send(\"n\", new { X = 1 })|};", "anonymous type")]
    [InlineData("public static System.Func<string, int, System.Threading.CancellationToken, ValueTask> Push(GatewayClient c) => {|GW0014:c.SendAsync|};", "method group")]
    public void GW0014_SendsThatCannotBeBound(string member, string reason) => DiagnosticTests.AssertDiagnostics(
        $$"""
        public static class Pushes
        {
            {{member}}
        }
        """,
        reason);

    [Fact]
    public void GW0014_ConcreteTypes_NoDiagnostic() => DiagnosticTests.AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class PushGateway
        {
            [SubscribeMessage("push")]
            public ValueTask Push(GatewayClient client) => client.SendAsync("pushed", 1);
        }

        public static class Pushes
        {
            public static ValueTask Push(GatewayClient c, int data) => c.SendAsync("n", data);

            public static ValueTask Pass<T>(GatewayClient c, T data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
                c.SendAsync("n", data, info);
        }
        """);

    [Fact]
    public void ConditionalAccessSend_IsIntercepted()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            using System.Threading.Tasks;
            using Gateway;

            namespace Chat;

            public static class Pushes
            {
                public static async ValueTask Push(GatewayClient? c) => await (c?.SendAsync("n", 1) ?? default);
            }
            """);

        Assert.Empty(run.Result.Diagnostics);
        GeneratedSourceResult interceptors = Assert.Single(run.Gateway.GeneratedSources, static s => s.HintName == "GatewaySendInterceptors.g.cs");
        Assert.Contains("client.SendAsync(@event, data, GatewayJsonMetadata.Int32, cancellationToken)", interceptors.SourceText.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
    }

    [Fact]
    public void FileLocalContract_GW0013() => DiagnosticTests.AssertDiagnostics(
        """
        [ClientEvents]
        file interface {|GW0013:IE|}
        {
            ValueTask Bye();
        }
        """,
        "file-local");

    [Fact]
    public void ContractOverAGenericBaseClosedWithANullableType_CompilesCleanly()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            using System.Threading.Tasks;
            using Gateway;

            namespace Chat;

            public interface IS<T>
            {
                ValueTask Send(T data);
            }

            [ClientEvents]
            public interface IE : IS<string?>;
            """);

        Assert.Empty(run.Result.Diagnostics);
        Assert.Contains(run.Gateway.GeneratedSources, static s => s.SourceText.ToString().Contains("global::Chat.IS<string?>.Send(string? data)", StringComparison.Ordinal));
        Assert.Empty(run.Output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning).Select(static d => d.ToString()));
    }
}
