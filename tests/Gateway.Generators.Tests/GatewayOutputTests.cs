using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

public sealed class GatewayOutputTests
{
    /// <summary>samples/Events/EventsGateway.cs without its logging.</summary>
    public const string ArticleSource = """
        using System;
        using System.Net.WebSockets;
        using System.Threading.Tasks;
        using Gateway;
        using Microsoft.AspNetCore.Http;

        namespace Events;

        /// <summary>The gateway of the NestJS article, line for line.</summary>
        [WebSocketGateway]
        public partial class EventsGateway : IOnGatewayConnection, IOnGatewayDisconnect
        {
            [SubscribeMessage("events")]
            public WsResponse<int[]> FindAll() => new("events", [1, 2, 3]);

            [SubscribeMessage("identity")]
            public int Identity([MessageBody] int data) => data;

            public ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext) => ValueTask.CompletedTask;

            public ValueTask OnDisconnectedAsync(GatewayClient client, WebSocketCloseStatus? closeStatus, Exception? exception) =>
                ValueTask.CompletedTask;
        }
        """;

    /// <summary>Every parameter binding and every return shape the generator supports.</summary>
    public const string EveryKindSource = """
        using System;
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Security.Claims;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Gateway;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;

        namespace Chat.Server;

        public sealed record ChatMessage(string Room, string Text);

        public sealed record Receipt(Guid Id, DateTimeOffset At);

        public interface IClock
        {
            DateTimeOffset Now { get; }
        }

        public interface IAudit
        {
            void Record(string text);
        }

        public interface IMetrics
        {
            void Count(string name);
        }

        [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
        [JsonSerializable(typeof(ChatMessage))]
        [JsonSerializable(typeof(Receipt))]
        internal sealed partial class ChatJsonContext : JsonSerializerContext;

        [WebSocketGateway("/chat")]
        public sealed partial class ChatGateway(IClock clock, IMetrics? metrics = null)
        {
            [SubscribeMessage("message")]
            public Receipt Send([MessageBody] ChatMessage message, GatewayClient client, CancellationToken cancellationToken)
            {
                metrics?.Count(message.Room + client.Id);
                cancellationToken.ThrowIfCancellationRequested();
                return new Receipt(Guid.NewGuid(), clock.Now);
            }

            [SubscribeMessage("join")]
            public Task JoinAsync(
                [MessageBody("room")] string room,
                [MessageBody("since")] DateTimeOffset? since,
                HttpContext httpContext,
                ClaimsPrincipal user) =>
                Task.CompletedTask;

            [SubscribeMessage("audit")]
            public void Audit([MessageBody] string text, IAudit audit, IMetrics? optionalMetrics, [FromServices] IClock fromServices)
            {
                audit.Record(text);
                optionalMetrics?.Count("audit");
            }

            [SubscribeMessage("ping")]
            public ValueTask PingAsync() => ValueTask.CompletedTask;

            [SubscribeMessage("time")]
            public async Task<DateTimeOffset> TimeAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                return clock.Now;
            }

            [SubscribeMessage("count")]
            public ValueTask<int> CountAsync([MessageBody] int[] values) => new(values.Length);

            [SubscribeMessage("echo")]
            public WsResponse<ChatMessage> Echo([MessageBody] ChatMessage message) => new("echoed", message);

            [SubscribeMessage("echo-later")]
            public async Task<WsResponse<string>> EchoLaterAsync([MessageBody] string text)
            {
                await Task.Yield();
                return new WsResponse<string>("echoed", text);
            }

            [SubscribeMessage("history")]
            public async IAsyncEnumerable<ChatMessage> HistoryAsync(
                [MessageBody("room")] string room,
                [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                for (int i = 0; i < 3; i++)
                {
                    await Task.Delay(1, cancellationToken);
                    yield return new ChatMessage(room, $"message {i}");
                }
            }

            [SubscribeMessage("topic")]
            public string? Topic([MessageBody("room")] string room) => room.Length == 0 ? null : room;

            [SubscribeMessage("raw")]
            public List<string> Raw([MessageBody] JsonElement data) => [data.GetRawText()];

            [SubscribeMessage("version")]
            public static string Version() => "1.0";
        }
        """;

    /// <summary>Two gateways share "/game"; a third, in the global namespace and another file, serves "/other".</summary>
    public const string GameSource = """
        using System.Threading.Tasks;
        using Gateway;

        namespace Games;

        public interface IMatchmaker
        {
            ValueTask<string> FindAsync(string player);
        }

        [WebSocketGateway("/game")]
        public partial class LobbyGateway
        {
            [SubscribeMessage("join")]
            public string Join([MessageBody("name")] string name) => "welcome " + name;
        }

        [WebSocketGateway("/game")]
        internal sealed partial class MatchGateway(IMatchmaker matchmaker)
        {
            [SubscribeMessage("find")]
            public ValueTask<string> FindAsync([MessageBody] string player) => matchmaker.FindAsync(player);

            [SubscribeMessage("move")]
            public WsResponse<int> Move([MessageBody("x")] int x) => new("moved", x);
        }
        """;

    public const string OtherSource = """
        using Gateway;

        [WebSocketGateway("/other")]
        internal partial class OtherGateway
        {
            [SubscribeMessage("join")]
            public void Join()
            {
            }
        }
        """;

    /// <summary>A class-wide <c>[RateLimit]</c>, a handler's own that wins over it, and the policies passed by handler number.</summary>
    public const string RateLimitSource = """
        using Gateway;

        namespace Chat;

        [WebSocketGateway("/chat")]
        [RateLimit("everything")]
        public partial class LimitedGateway
        {
            [SubscribeMessage("say")]
            [RateLimit("chat")]
            public string Say([MessageBody] string text) => text;

            [SubscribeMessage("ping")]
            public string Ping() => "pong";
        }

        [WebSocketGateway("/free")]
        public partial class FreeGateway
        {
            [SubscribeMessage("ping")]
            public string Ping() => "pong";

            [SubscribeMessage("say")]
            [RateLimit("chat")]
            public string Say([MessageBody] string text) => text;
        }
        """;

    /// <summary>A path with route parameters bound as text and parsed, and a gateway on a port of its own.</summary>
    public const string RoutesSource = """
        using System;
        using Gateway;
        using Microsoft.AspNetCore.Mvc;

        namespace Rooms;

        [WebSocketGateway("/rooms/{roomId}/{page:int}")]
        public partial class RoomGateway
        {
            [SubscribeMessage("where")]
            public string Where([FromRoute] string roomId, [FromRoute(Name = "page")] int number, [FromRoute] string? page) => roomId + number + page;
        }

        [WebSocketGateway(8080, "/game", Lifetime = GatewayLifetime.Connection, Namespace = "game")]
        public partial class GameGateway
        {
            [SubscribeMessage("move")]
            public Guid Move() => Guid.Empty;
        }
        """;

    /// <summary>Validated payloads of every return kind, bound whole and by property, one opted out.</summary>
    public const string ValidationSource = """
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Gateway;
        using Microsoft.Extensions.Validation;

        #pragma warning disable ASP0029 // [ValidatableType] and [SkipValidation] are experimental in .NET 10.

        namespace Shop;

        [ValidatableType]
        public sealed record Order([property: Required] string Name, [property: Range(1, 9)] int Quantity);

        [JsonSerializable(typeof(Order))]
        internal partial class ShopJson : JsonSerializerContext;

        [WebSocketGateway("/shop")]
        public partial class ShopGateway
        {
            [SubscribeMessage("order")]
            public string Place([MessageBody] Order order) => order.Name;

            [SubscribeMessage("later")]
            public Task<int> LaterAsync([MessageBody("order")] Order order, [MessageBody("count")] int count) => Task.FromResult(count);

            [SubscribeMessage("maybe")]
            public void Maybe([MessageBody] Order? order)
            {
            }

            [SubscribeMessage("stream")]
            public async IAsyncEnumerable<string> Stream([MessageBody] Order order)
            {
                await Task.Yield();
                yield return order.Name;
            }

            [SubscribeMessage("raw")]
            public string Raw([MessageBody, SkipValidation] Order order) => order.Name;
        }
        """;

    /// <summary>The class's guards, interceptors and filters, and a handler's own, each created by generated code.</summary>
    public const string PipelineSource = """
        using System;
        using System.Threading.Tasks;
        using Gateway;
        using Microsoft.AspNetCore.Http;

        namespace Chat;

        public interface IClock { DateTimeOffset Now { get; } }

        public sealed class MembersOnly : IGatewayGuard, IGatewayConnectionGuard
        {
            public ValueTask<bool> CanActivateAsync(GatewayInvocationContext context) => new(true);
            public ValueTask<bool> CanConnectAsync(GatewayClient client, HttpContext httpContext) => new(true);
        }

        public sealed class Timing(IClock clock, string? label = null) : IGatewayInterceptor
        {
            public ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next) =>
                label is null ? next(context) : new(clock.Now);
        }

        public sealed class Friendly : IGatewayExceptionFilter
        {
            public ValueTask<bool> TryHandleAsync(GatewayInvocationContext context, Exception exception) => new(false);
        }

        [WebSocketGateway("/chat")]
        [UseGuards(typeof(MembersOnly))]
        [UseFilters(typeof(Friendly))]
        public partial class ChatGateway
        {
            [SubscribeMessage("say")]
            [UseInterceptors(typeof(Timing))]
            public string Say([MessageBody] string text) => text;

            [SubscribeMessage("ping")]
            public string Ping() => "pong";
        }
        """;

    /// <summary>The class's authorization attributes for the handshake, each handler's for its messages.</summary>
    public const string AuthorizationSource = """
        using Gateway;
        using Microsoft.AspNetCore.Authorization;

        namespace Secure;

        [WebSocketGateway("/admin")]
        [Authorize(Policy = "staff", AuthenticationSchemes = "Bearer")]
        public partial class AdminGateway
        {
            [SubscribeMessage("stats")]
            public int Stats() => 42;

            [SubscribeMessage("wipe")]
            [Authorize(Roles = "admin,owner")]
            [Authorize("audited")]
            public bool Wipe() => true;

            [SubscribeMessage("help")]
            [AllowAnonymous]
            public string Help() => "ask";
        }

        [WebSocketGateway("/open")]
        [AllowAnonymous]
        public partial class OpenGateway
        {
            [SubscribeMessage("ping")]
            public string Ping() => "pong";
        }
        """;

    [Fact]
    public void AuthorizationMetadata()
    {
        GeneratorRun run = GeneratorHarness.Run(AuthorizationSource);

        AssertCompilesCleanly(run);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void PipelineComponents()
    {
        GeneratorRun run = GeneratorHarness.Run(PipelineSource);

        AssertCompilesCleanly(run);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void ValidatedPayloads()
    {
        GeneratorRun run = GeneratorHarness.Run(ValidationSource);

        AssertCompilesCleanly(run);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void RoutesAndPorts()
    {
        GeneratorRun run = GeneratorHarness.Run(RoutesSource);

        AssertCompilesCleanly(run);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void RateLimitPolicies()
    {
        GeneratorRun run = GeneratorHarness.Run(RateLimitSource);

        AssertCompilesCleanly(run);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void ArticleGateway()
    {
        GeneratorRun run = GeneratorHarness.Run(ArticleSource);

        AssertCompilesCleanly(run);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void EveryParameterAndReturnKind()
    {
        GeneratorRun run = GeneratorHarness.Run(EveryKindSource);

        AssertCompilesCleanly(run);
        // The user's context compiles only because the System.Text.Json generator ran beside ours.
        Assert.Contains(
            run.Result.Results
                .Where(static r => r.Generator.GetGeneratorType() != typeof(GatewayGenerator))
                .SelectMany(static r => r.GeneratedSources),
            static s => s.HintName.StartsWith("ChatJsonContext", StringComparison.Ordinal));
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void GatewaysOnSharedAndSeparatePaths()
    {
        GeneratorRun run = GeneratorHarness.Run(GameSource, OtherSource);

        AssertCompilesCleanly(run);
        // Three gateways, the registration, and the sends bound at compile time (GatewaySendExtensions).
        Assert.Equal(5, run.Gateway.GeneratedSources.Length);
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    [Fact]
    public void InvalidGatewayIsReported_OthersStillGenerated()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Gateway;

            namespace Mixed;

            [WebSocketGateway("/good")]
            public partial class GoodGateway
            {
                [SubscribeMessage("ping")]
                public string Ping() => "pong";
            }

            [WebSocketGateway("/bad")]
            public class BadGateway
            {
                [SubscribeMessage("ping")]
                public string Ping() => "pong";
            }
            """);

        Assert.Equal("GW0001", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Empty(run.Output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning));
        Snapshot.Verify(run.Result, nameof(GatewayOutputTests));
    }

    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Diagnostic[] problems = [.. run.AllDiagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(
            problems.Length == 0,
            "The generated code does not compile cleanly:\n" + string.Join('\n', problems.Select(static d => d.ToString())));
        Assert.NotEmpty(run.Gateway.GeneratedSources);
    }
}
