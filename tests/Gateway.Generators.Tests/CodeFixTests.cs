using Gateway.CodeFixes;
using Gateway.Generators.Tests.Infrastructure;

namespace Gateway.Generators.Tests;

/// <summary>
/// Each code fix before and after, through Microsoft.CodeAnalysis.Testing: the generator reports the marked
/// diagnostic on the source, the fix is applied, and the fixed source must compile with no GW diagnostic left.
/// </summary>
public sealed class CodeFixTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using Gateway;

        namespace Chat;

        """;

    [Theory]
    [InlineData("public class", "public partial class")]
    [InlineData("public sealed class", "public sealed partial class")]
    [InlineData("internal class", "internal partial class")]
    public async Task GW0001_MakePartial(string before, string after) => await new CodeFixTest<MakePartialCodeFix>(
        Usings + $$"""
        /// <summary>Kept with its comment.</summary>
        [WebSocketGateway]
        {{before}} {|GW0001:ChatGateway|}
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """,
        Usings + $$"""
        /// <summary>Kept with its comment.</summary>
        [WebSocketGateway]
        {{after}} ChatGateway
        {
            [SubscribeMessage("ping")]
            public void Ping()
            {
            }
        }
        """).RunAsync();

    [Fact]
    public async Task GW0004_AddMessageBody() => await new CodeFixTest<AddBindingAttributeCodeFix>(
        Usings + """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("identity")]
            public int Identity(GatewayClient client, int {|GW0004:data|}) => data;
        }
        """,
        Usings + """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("identity")]
            public int Identity(GatewayClient client, [MessageBody] int data) => data;
        }
        """).RunAsync();

    [Fact]
    public async Task GW0015_AddMessageBody() => await new CodeFixTest<AddBindingAttributeCodeFix>(
        Usings + """
        public sealed record ChatMessage(string Text);

        [JsonSerializable(typeof(ChatMessage))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public string Send(ChatMessage {|GW0015:message|}) => message.Text;
        }
        """,
        Usings + """
        public sealed record ChatMessage(string Text);

        [JsonSerializable(typeof(ChatMessage))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public string Send([MessageBody] ChatMessage message) => message.Text;
        }
        """)
    { CodeActionEquivalenceKey = nameof(AddBindingAttributeCodeFix) + "MessageBody" }.RunAsync();

    [Fact]
    public async Task GW0015_AddFromServices_AddsTheUsing() => await new CodeFixTest<AddBindingAttributeCodeFix>(
        Usings + """
        public sealed class Counter
        {
            public int Total { get; set; }
        }

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("count")]
            public int Count(Counter {|GW0015:counter|}) => counter.Total;
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using Gateway;
        using Microsoft.AspNetCore.Mvc;

        namespace Chat;
        public sealed class Counter
        {
            public int Total { get; set; }
        }

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("count")]
            public int Count([FromServices] Counter counter) => counter.Total;
        }
        """)
    { CodeActionEquivalenceKey = nameof(AddBindingAttributeCodeFix) + "FromServices" }.RunAsync();

    [Fact]
    public async Task GW0007_AddJsonSerializableLine() => await new CodeFixTest<AddJsonSerializableCodeFix>(
        Usings + """
        public sealed record ChatMessage(string Text);

        public sealed record Receipt(Guid Id);

        [JsonSerializable(typeof(Receipt))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public Receipt Send([MessageBody] List<ChatMessage> {|GW0007:messages|}) => new(Guid.NewGuid());
        }
        """,
        Usings + """
        public sealed record ChatMessage(string Text);

        public sealed record Receipt(Guid Id);

        [JsonSerializable(typeof(Receipt))]
        [JsonSerializable(typeof(List<ChatMessage>))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("message")]
            public Receipt Send([MessageBody] List<ChatMessage> messages) => new(Guid.NewGuid());
        }
        """).RunAsync();

    /// <summary>
    /// The context may live in another file; the line goes there, indented like the class, with the type's name as short
    /// as that file allows (Chat.Json is inside Chat, so ChatMessage needs no qualification).
    /// </summary>
    [Fact]
    public async Task GW0007_AddJsonSerializableLine_ToAContextInAnotherFile()
    {
        const string Context = """
            using System.Text.Json.Serialization;

            namespace Chat.Json
            {
                [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
                [JsonSerializable(typeof(int))]
                internal sealed partial class AppJsonContext : JsonSerializerContext
                {
                }
            }
            """;
        var test = new CodeFixTest<AddJsonSerializableCodeFix>(
            Usings + """
            public sealed record ChatMessage(string Text);

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("message")]
                public string Send([MessageBody] ChatMessage {|GW0007:message|}) => message.Text;
            }
            """,
            Usings + """
            public sealed record ChatMessage(string Text);

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("message")]
                public string Send([MessageBody] ChatMessage message) => message.Text;
            }
            """);
        test.TestState.Sources.Add(("/0/Json.cs", Context));
        test.FixedState.Sources.Add(("/0/Json.cs", """
            using System.Text.Json.Serialization;

            namespace Chat.Json
            {
                [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
                [JsonSerializable(typeof(int))]
                [JsonSerializable(typeof(ChatMessage))]
                internal sealed partial class AppJsonContext : JsonSerializerContext
                {
                }
            }
            """));
        await test.RunAsync();
    }

    /// <summary>A project without any context gets one (web defaults, as NestJS clients expect camelCase).</summary>
    [Fact]
    public async Task GW0007_CreatesAContext_WhenTheProjectHasNone()
    {
        const string Gateway = """
            public sealed record ChatMessage(string Text);

            [WebSocketGateway]
            public partial class ChatGateway
            {
                [SubscribeMessage("message")]
                public string Send([MessageBody] ChatMessage {|GW0007:message|}) => message.Text;
            }
            """;
        var test = new CodeFixTest<AddJsonSerializableCodeFix>(Usings + Gateway, Usings + Gateway.Replace("{|GW0007:message|}", "message"));
        test.FixedState.Sources.Add(("/0/AppJsonContext.cs", """
            using System.Text.Json;
            using System.Text.Json.Serialization;

            namespace Chat;

            [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
            [JsonSerializable(typeof(ChatMessage))]
            internal sealed partial class AppJsonContext : JsonSerializerContext;

            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task GW0016_AsyncVoidReturnsTask_AddsTheUsing() => await new CodeFixTest<AsyncVoidToTaskCodeFix>(
        Usings + """
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("save")]
            public async void {|GW0016:Save|}([MessageBody] string text)
            {
                await System.Threading.Tasks.Task.Yield();
            }
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Gateway;

        namespace Chat;
        [WebSocketGateway]
        public partial class ChatGateway
        {
            [SubscribeMessage("save")]
            public async Task Save([MessageBody] string text)
            {
                await System.Threading.Tasks.Task.Yield();
            }
        }
        """).RunAsync();

    /// <summary>Gateway.CodeFixes repeats the generator's ids and property keys (neither references the other).</summary>
    [Fact]
    public void CodeFixes_AgreeWithTheGeneratorOnIdsAndProperties()
    {
        Assert.Equal(DiagnosticIds.GatewayMustBePartial, DiagnosticDescriptors.GatewayMustBePartial.Id);
        Assert.Equal(DiagnosticIds.UnsupportedParameter, DiagnosticDescriptors.UnsupportedParameter.Id);
        Assert.Equal(DiagnosticIds.MissingJsonMetadata, DiagnosticDescriptors.MissingJsonMetadata.Id);
        Assert.Equal(DiagnosticIds.ParameterNeedsBindingSource, DiagnosticDescriptors.ParameterNeedsBindingSource.Id);
        Assert.Equal(DiagnosticIds.AsyncVoidHandler, DiagnosticDescriptors.AsyncVoidHandler.Id);
        Assert.Equal(DiagnosticIds.BindingFixesProperty, DiagnosticProperties.BindingFixes);
        Assert.Equal(DiagnosticIds.JsonTypeProperty, DiagnosticProperties.JsonType);
        Assert.Equal(
            $"{DiagnosticIds.MessageBody},{DiagnosticIds.FromServices}",
            DiagnosticProperties.MessageBodyOrFromServicesFix[DiagnosticProperties.BindingFixes]);
        Assert.Equal(DiagnosticIds.MessageBody, DiagnosticProperties.MessageBodyFix[DiagnosticProperties.BindingFixes]);
        Assert.Equal(DiagnosticIds.FromServices, DiagnosticProperties.FromServicesFix[DiagnosticProperties.BindingFixes]);
    }
}
