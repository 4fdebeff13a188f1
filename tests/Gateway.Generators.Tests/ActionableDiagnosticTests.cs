using System.Globalization;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// The footguns that compiled and failed at run time (GW0015–GW0017), and messages whose advice must be right for the
/// type at hand: no <c>[JsonSerializable]</c> suggestion for a type System.Text.Json refuses, no <c>JsonTypeInfo</c>
/// suggestion for an anonymous type. Positive and negative cases side by side, in <see cref="DiagnosticTests"/>' markup.
/// </summary>
public sealed class ActionableDiagnosticTests
{
    [Theory]
    [InlineData("public sealed record ChatMessage(string Text);", "ChatMessage", "a record")]
    [InlineData("public record struct ChatMessage(string Text);", "ChatMessage", "a record")]
    [InlineData("public struct ChatMessage { public string Text { get; set; } }", "ChatMessage", "a struct")]
    [InlineData("public struct ChatMessage { public string Text { get; set; } }", "ChatMessage?", "a struct")]
    [InlineData("public sealed class ChatMessage { public string Text { get; set; } = \"\"; }", "ChatMessage", "a concrete class")]
    public void GW0015_DataTypeWithoutBindingSource(string declaration, string type, string what)
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            $$"""
            {{declaration}}

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("message")]
                public string Send({{type}} {|GW0015:message|}) => "ok";
            }
            """,
            "'message'", "'Send'", what, "[MessageBody]", "[FromServices]");

        // The code fix offers both attributes, since the type could be data or a registered service.
        Assert.Equal("MessageBody,FromServices", Single(run, "GW0015").Properties[DiagnosticProperties.BindingFixes]);
    }

    [Fact]
    public void GW0015_NonJsonConcreteClass_OffersOnlyFromServices()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public sealed class Uploader : System.IO.MemoryStream;

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("upload")]
                public string Upload(Uploader {|GW0015:uploader|}) => "ok";
            }
            """,
            "'uploader'", "a concrete class", "[FromServices]");

        Assert.Equal("FromServices", Single(run, "GW0015").Properties[DiagnosticProperties.BindingFixes]);
        Assert.DoesNotContain("[MessageBody]", Single(run, "GW0015").GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void GW0015_ServicesThatSayWhereTheyComeFrom_NoDiagnostic() => DiagnosticTests.AssertNoDiagnostics(
        """
        public sealed record ChatMessage(string Text);

        public sealed class Counter
        {
            public int Total { get; set; }
        }

        public abstract class Store;

        [JsonSerializable(typeof(ChatMessage))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public string Send(
                [MessageBody] ChatMessage message,
                [Microsoft.AspNetCore.Mvc.FromServices] Counter counter,
                [Microsoft.AspNetCore.Mvc.FromServices] ChatMessage? lastMessage,
                IClock clock,
                Microsoft.Extensions.Logging.ILogger<ChatGateway> logger,
                IGatewayServer<ChatGateway> server,
                TimeProvider time,
                Store store,
                Func<int> next) => message.Text;
        }
        """);

    [Fact]
    public void GW0016_AsyncVoidHandler() => DiagnosticTests.AssertDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public async void {|GW0016:Ping|}()
            {
                await Task.Yield();
            }
        }
        """,
        "'Ping'", "'async void'", "Task or ValueTask");

    [Fact]
    public void GW0016_AsyncTaskAndSyncVoidHandlers_NoDiagnostic() => DiagnosticTests.AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("ping")]
            public async Task Ping()
            {
                await Task.Yield();
            }

            [SubscribeMessage("pong")]
            public void Pong()
            {
            }
        }
        """);

    [Fact]
    public void GW0017_WholeBodyBoundTwice() => DiagnosticTests.AssertDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public string Send([MessageBody] string text, [MessageBody] string {|GW0017:again|}, [MessageBody] string {|GW0017:more|}) => text;
        }
        """,
        "'Send'", "'text'", "[MessageBody(\"name\")]");

    [Fact]
    public void GW0017_WholeBodyAndProperties_NoDiagnostic() => DiagnosticTests.AssertNoDiagnostics(
        """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public string Send([MessageBody] System.Text.Json.JsonElement data, [MessageBody("room")] string room, [MessageBody("n")] int n) =>
                room + n + data.ValueKind;
        }
        """);

    [Fact]
    public void GW0018_EmptyAuthorizationPolicies() => DiagnosticTests.AssertDiagnostics(
        """
        [WebSocketGateway]
        [{|GW0018:Microsoft.AspNetCore.Authorization.Authorize(Policy = "")|}]
        public partial class AdminGateway
        {
            [SubscribeMessage("wipe")]
            [{|GW0018:Microsoft.AspNetCore.Authorization.Authorize(" ")|}]
            public void Wipe()
            {
            }
        }
        """,
        "[Authorize]", "empty policy", "AddPolicy");

    [Fact]
    public void GW0018_EmptyRateLimitPolicies() => DiagnosticTests.AssertDiagnostics(
        """
        [WebSocketGateway]
        [{|GW0018:RateLimit(" ")|}]
        public partial class AdminGateway
        {
            [SubscribeMessage("wipe")]
            [{|GW0018:RateLimit("")|}]
            public void Wipe()
            {
            }
        }
        """,
        "[RateLimit]", "empty policy", "RateLimiting.Policies");

    [Fact]
    public void GW0018_NamedAndDefaultPolicies_NoDiagnostic() => DiagnosticTests.AssertNoDiagnostics(
        """
        [WebSocketGateway]
        [Microsoft.AspNetCore.Authorization.Authorize]
        [RateLimit("everything")]
        public partial class AdminGateway
        {
            [SubscribeMessage("wipe")]
            [Microsoft.AspNetCore.Authorization.Authorize(Policy = "admins", Roles = "")]
            [RateLimit("chat")]
            public void Wipe()
            {
            }
        }
        """);

    [Theory]
    [InlineData("", "[{|GW0019:UseGuards(typeof(Components.NotAGuard))|}]", "neither IGatewayGuard nor IGatewayConnectionGuard")]
    [InlineData("[{|GW0019:UseFilters(typeof(Components.AbstractFilter))|}]", "", "it is abstract")]
    [InlineData("", "[{|GW0019:UseGuards(typeof(Components.ConnectionOnly))|}]", "guards connections only")]
    [InlineData("", "[{|GW0019:UseInterceptors(typeof(Components.Timing<>))|}]", "open type parameters")]
    [InlineData("", "[{|GW0019:UseInterceptors(typeof(Components.Hidden))|}]", "no public or internal constructor")]
    [InlineData("[{|GW0019:UseGuards(typeof(Components.NeedsSpan))|}]", "", "cannot come from dependency injection")]
    [InlineData("", "[{|GW0019:UseFilters(typeof(Components.AGuard))|}]", "does not implement IGatewayExceptionFilter")]
    [InlineData("[{|GW0019:UseInterceptors(typeof(Components.IInterceptor))|}]", "", "an interface")]
    public void GW0019_ComponentsThatAreNotOfTheirKindOrCannotBeConstructed(string onClass, string onHandler, string reason) =>
        DiagnosticTests.AssertDiagnostics(
            $$"""
            {{onClass}}
            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("send")]
                {{onHandler}}
                public void Send()
                {
                }
            }

            public static class Components
            {
                public sealed class NotAGuard { }
                public abstract class AbstractFilter : IGatewayExceptionFilter
                {
                    public abstract System.Threading.Tasks.ValueTask<bool> TryHandleAsync(GatewayInvocationContext context, System.Exception exception);
                }
                public sealed class ConnectionOnly : IGatewayConnectionGuard
                {
                    public System.Threading.Tasks.ValueTask<bool> CanConnectAsync(GatewayClient client, Microsoft.AspNetCore.Http.HttpContext httpContext) => default;
                }
                public sealed class Timing<T> : IGatewayInterceptor
                {
                    public System.Threading.Tasks.ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next) => next(context);
                }
                public sealed class Hidden : IGatewayInterceptor
                {
                    private Hidden() { }
                    public System.Threading.Tasks.ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next) => next(context);
                }
                public sealed class NeedsSpan : IGatewayGuard
                {
                    public NeedsSpan(System.ReadOnlySpan<byte> bytes) { }
                    public System.Threading.Tasks.ValueTask<bool> CanActivateAsync(GatewayInvocationContext context) => default;
                }
                public sealed class AGuard : IGatewayGuard
                {
                    public System.Threading.Tasks.ValueTask<bool> CanActivateAsync(GatewayInvocationContext context) => default;
                }
                public interface IInterceptor : IGatewayInterceptor { }
            }
            """,
            "[Use", reason);

    [Theory]
    [InlineData("public sealed class Order { [System.ComponentModel.DataAnnotations.Required] public string? Name { get; set; } }")]
    [InlineData("public sealed record Order([property: System.ComponentModel.DataAnnotations.Range(1, 5)] int Quantity);")]
    [InlineData("public sealed record Order([System.ComponentModel.DataAnnotations.Range(1, 5)] int Quantity);")]
    [InlineData("public class Base { [System.ComponentModel.DataAnnotations.EmailAddress] public string? Email { get; set; } } public sealed class Order : Base { }")]
    [InlineData("public sealed class Order : System.ComponentModel.DataAnnotations.IValidatableObject { public System.Collections.Generic.IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext context) => []; }")]
    public void GW0020_PayloadWithRulesThatIsNotValidatable_IsAWarningAndTheGatewayIsStillGenerated(string order)
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            $$"""
            {{order}}

            [System.Text.Json.Serialization.JsonSerializable(typeof(Order))]
            internal partial class OrderJson : System.Text.Json.Serialization.JsonSerializerContext { }

            [WebSocketGateway]
            public partial class ShopGateway
            {
                [SubscribeMessage("order")]
                public void Place([MessageBody] Order {|GW0020:order|})
                {
                }
            }
            """,
            "Order", "[ValidatableType]", "AddValidation()", "[SkipValidation]");

        Assert.Equal(DiagnosticSeverity.Warning, run.Result.Diagnostics.Single(static d => d.Id == "GW0020").Severity);
        Assert.Contains(run.Result.GeneratedTrees, static t => t.FilePath.EndsWith("ShopGateway.Gateway.g.cs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[Microsoft.Extensions.Validation.ValidatableType] public sealed class Order { [System.ComponentModel.DataAnnotations.Required] public string? Name { get; set; } }", "[MessageBody]")]
    [InlineData("public sealed class Order { [System.ComponentModel.DataAnnotations.Required] public string? Name { get; set; } }", "[MessageBody, Microsoft.Extensions.Validation.SkipValidation]")]
    [InlineData("[Microsoft.Extensions.Validation.SkipValidation] public sealed class Order { [System.ComponentModel.DataAnnotations.Required] public string? Name { get; set; } }", "[MessageBody]")]
    [InlineData("public sealed class Order { public string? Name { get; set; } }", "[MessageBody]")]
    public void GW0020_ValidatableSkippedOrRulelessPayload_NoDiagnostic(string order, string binding) => DiagnosticTests.AssertNoDiagnostics(
        $$"""
        #pragma warning disable ASP0029
        {{order}}

        [System.Text.Json.Serialization.JsonSerializable(typeof(Order))]
        internal partial class OrderJson : System.Text.Json.Serialization.JsonSerializerContext { }

        [WebSocketGateway]
        public partial class ShopGateway
        {
            [SubscribeMessage("order")]
            public void Place({{binding}} Order order)
            {
            }
        }
        """);

    [Fact]
    public void GW0019_GuardsInterceptorsAndFiltersOfTheirKind_NoDiagnostic() => DiagnosticTests.AssertNoDiagnostics(
        """
        public sealed class Both : IGatewayGuard, IGatewayConnectionGuard
        {
            public System.Threading.Tasks.ValueTask<bool> CanActivateAsync(GatewayInvocationContext context) => default;
            public System.Threading.Tasks.ValueTask<bool> CanConnectAsync(GatewayClient client, Microsoft.AspNetCore.Http.HttpContext httpContext) => default;
        }
        public sealed class ConnectionOnly : IGatewayConnectionGuard
        {
            public System.Threading.Tasks.ValueTask<bool> CanConnectAsync(GatewayClient client, Microsoft.AspNetCore.Http.HttpContext httpContext) => default;
        }
        public sealed class Timing<T> : IGatewayInterceptor
        {
            public Timing(System.IServiceProvider services, string? optional = null) { }
            public System.Threading.Tasks.ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next) => next(context);
        }
        public sealed class Filter : IGatewayExceptionFilter
        {
            public System.Threading.Tasks.ValueTask<bool> TryHandleAsync(GatewayInvocationContext context, System.Exception exception) => default;
        }

        [WebSocketGateway]
        [UseGuards(typeof(Both), typeof(ConnectionOnly))]
        [UseFilters(typeof(Filter))]
        public partial class ChatGateway
        {
            [SubscribeMessage("send")]
            [UseGuards(typeof(Both))]
            [UseInterceptors(typeof(Timing<int>))]
            public void Send()
            {
            }
        }
        """);

    [Theory]
    [InlineData("System.IO.Stream", "a stream")]
    [InlineData("System.IO.MemoryStream", "a stream")]
    [InlineData("Task<int>", "a task")]
    [InlineData("Func<int>", "a delegate")]
    [InlineData("Action", "a delegate")]
    [InlineData("IntPtr", "native-sized integer")]
    [InlineData("nint", "native-sized integer")]
    [InlineData("Type", "a reflection type")]
    [InlineData("ReadOnlySpan<byte>", "a ref struct")]
    public void GW0004_NonJsonMessageBody_SaysItCannotBeJson(string type, string what)
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            $$"""
            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("upload")]
                public string Upload([MessageBody] {{type}} {|GW0004:data|}) => "ok";
            }
            """,
            "'data'", what, "cannot be received as JSON");

        AssertNoJsonSerializableAdvice(run);
        Assert.False(Single(run, "GW0004").Properties.ContainsKey(DiagnosticProperties.BindingFixes));
    }

    [Theory]
    [InlineData("System.IO.Stream", "System.IO.Stream.Null")]
    [InlineData("Task<Func<int>>", "Task.FromResult<Func<int>>(() => 1)")]
    [InlineData("Action", "() => { }")]
    public void GW0005_NonJsonResult_SaysItCannotBeJson(string type, string value)
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            $$"""
            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("download")]
                public {{type}} {|GW0005:Download|}() => {{value}};
            }
            """,
            "'Download'", "cannot be sent as JSON");

        AssertNoJsonSerializableAdvice(run);
    }

    [Fact]
    public void GW0013_NonJsonClientEventData_SaysItCannotBeJson()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            [ClientEvents]
            public interface IChatEvents
            {
                ValueTask {|GW0013:File|}(System.IO.Stream content);
            }
            """,
            "'content'", "a stream", "cannot be sent as JSON");

        AssertNoJsonSerializableAdvice(run);
    }

    [Fact]
    public void GW0014_StreamSend_SaysItCannotBeJson()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public static class Pushes
            {
                public static ValueTask Push(GatewayClient c, System.IO.Stream s) => {|GW0014:c.SendAsync("n", s)|};
            }
            """,
            "a stream", "cannot be sent as JSON");

        AssertNoJsonSerializableAdvice(run);
    }

    [Fact]
    public void GW0014_AnonymousType_SaysDeclareARecord()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public static class Pushes
            {
                public static int Push(GatewayTarget t) => {|GW0014:t.Send("n", new { X = 1 })|};
            }
            """,
            "declare a record");

        // A JsonTypeInfo cannot be written for an anonymous type: the message must not send the user there.
        Assert.DoesNotContain("JsonTypeInfo", Single(run, "GW0014").GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void GW0007_CarriesTheTypeForTheCodeFix()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            public sealed record ChatMessage(string Text);

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("message")]
                public List<ChatMessage> {|GW0007:Send|}([MessageBody] ChatMessage {|GW0007:message|}) => [message];
            }
            """,
            "JsonSerializable");

        string[] types = [.. run.Result.Diagnostics.Where(static d => d.Id == "GW0007")
            .Select(static d => d.Properties[DiagnosticProperties.JsonType] ?? "(none)").Order(StringComparer.Ordinal)];
        Assert.Equal(["global::Chat.ChatMessage", "global::System.Collections.Generic.List<global::Chat.ChatMessage>"], types);
    }

    [Fact]
    public void GW0004_MissingMessageBody_CarriesTheFixAndARefParameterDoesNot()
    {
        GeneratorRun run = DiagnosticTests.AssertDiagnostics(
            """
            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("identity")]
                public int Identity(int {|GW0004:data|}, ref int {|GW0004:count|}) => data + count;
            }
            """,
            "'Identity'");

        Diagnostic[] diagnostics = [.. run.Result.Diagnostics.Where(static d => d.Id == "GW0004").OrderBy(static d => d.Location.SourceSpan.Start)];
        Assert.Equal("MessageBody", diagnostics[0].Properties[DiagnosticProperties.BindingFixes]);
        Assert.False(diagnostics[1].Properties.ContainsKey(DiagnosticProperties.BindingFixes));
    }

    private static Diagnostic Single(GeneratorRun run, string id) => Assert.Single(run.Result.Diagnostics, d => d.Id == id);

    private static void AssertNoJsonSerializableAdvice(GeneratorRun run) =>
        Assert.All(run.Result.Diagnostics.Where(static d => d.Id.StartsWith("GW", StringComparison.Ordinal)), static d =>
        {
            Assert.NotEqual("GW0007", d.Id);
            Assert.DoesNotContain("JsonSerializable", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        });
}
