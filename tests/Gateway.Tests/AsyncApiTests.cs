using System.Text.Json;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>
/// The AsyncAPI document <c>MapGatewaysAsyncApi()</c> serves over Kestrel: validated by the official
/// <c>@asyncapi/parser</c> in Node, and read here for what the generator and the JSON metadata put in it.
/// </summary>
public sealed class AsyncApiTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>().AddGateway<ChatGateway>().AddGateway<SecureGateway>().AddGateway<LobbyGateway>()
                .AddGateway<PayloadsGateway>(),
            services: services =>
            {
                services.AddSingleton<Counter>();
                services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
                services.AddAuthorization(o => o.AddPolicy("staff", p => p.RequireRole("staff")));
            },
            configureApp: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGatewaysAsyncApi(configure: o =>
                {
                    o.Title = "Gateway tests";
                    o.Version = "2.1.0";
                });
            });
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.GetAsync(Http("/asyncapi.json"));
        Assert.True(response.IsSuccessStatusCode, $"GET /asyncapi.json: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Http(string path) => new UriBuilder(_server.Url(path)) { Scheme = "http" }.Uri.ToString();

    [Fact]
    public async Task The_official_parser_finds_the_document_valid()
    {
        string output = await SampleProcess.RunNodeAsync("asyncapi-validate.mjs", null, Http("/asyncapi.json"));

        string[] lines = SampleProcess.Lines(output);
        Assert.Contains("asyncapi 3.0.0", lines);
        Assert.Equal("valid", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("diagnostic error", StringComparison.Ordinal));
        // The parser resolved every reference: each handler's operation, its message and its reply.
        Assert.Contains("operation kinds.receive.taskOfT receive /kinds messages=taskOfT reply=taskOfT", lines);
        Assert.Contains("operation kinds.receive.void receive /kinds messages=void reply=-", lines);
        Assert.Contains("operation chat.send.user-joined send /chat messages=user-joined reply=-", lines);
    }

    [Fact]
    public void Info_and_a_channel_per_path()
    {
        Assert.Equal("3.0.0", _document.GetProperty("asyncapi").GetString());
        Assert.Equal("Gateway tests", _document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("2.1.0", _document.GetProperty("info").GetProperty("version").GetString());
        JsonElement channels = _document.GetProperty("channels");
        Assert.Equal("/kinds", channels.GetProperty("kinds").GetProperty("address").GetString());
        Assert.Equal("/chat", channels.GetProperty("chat").GetProperty("address").GetString());
        Assert.Equal("/", channels.GetProperty("kinds").GetProperty("x-socketio-namespace").GetString());
    }

    [Fact]
    public void A_handler_is_a_receive_operation_whose_message_is_the_nest_envelope()
    {
        JsonElement operation = Operation("kinds.receive.valueTaskOfT");
        Assert.Equal("receive", operation.GetProperty("action").GetString());
        Assert.Equal("#/channels/kinds", operation.GetProperty("channel").GetProperty("$ref").GetString());

        JsonElement payload = Message(operation.GetProperty("messages")[0]).GetProperty("payload");
        Assert.Equal("valueTaskOfT", payload.GetProperty("properties").GetProperty("event").GetProperty("const").GetString());
        // The web defaults of the test context read numbers from strings too, and the schema says so.
        Assert.Equal(["number", "string"], Types(payload.GetProperty("properties").GetProperty("data")).Order());
        Assert.Equal(["event", "data"], payload.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        // A handler without a body: the envelope has no data.
        JsonElement count = Message(Operation("kinds.receive.count").GetProperty("messages")[0]).GetProperty("payload");
        Assert.False(count.GetProperty("properties").TryGetProperty("data", out _));
    }

    [Fact]
    public void A_handled_message_may_carry_a_correlation_id_its_answers_echo()
    {
        JsonElement message = Message(Operation("kinds.receive.valueTaskOfT").GetProperty("messages")[0]);
        Assert.Equal("#/components/correlationIds/requestId", message.GetProperty("correlationId").GetProperty("$ref").GetString());
        Assert.Equal("$message.payload#/id", _document.GetProperty("components").GetProperty("correlationIds").GetProperty("requestId").GetProperty("location").GetString());
        JsonElement payload = message.GetProperty("payload");
        Assert.Equal(["number", "string"], Types(payload.GetProperty("properties").GetProperty("id")).Order());
        Assert.DoesNotContain("id", payload.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        // What the server sends of itself answers nothing.
        Assert.False(Message(Operation("chat.send.message").GetProperty("messages")[0]).TryGetProperty("correlationId", out _));
    }

    [Fact]
    public async Task Without_correlation_ids_the_document_describes_none()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ReturnKindsGateway>(),
            o => o.CorrelationIds = false,
            services: services => services.AddSingleton<Counter>(),
            configureApp: app => app.MapGatewaysAsyncApi());
        using var http = new HttpClient();
        string text = await http.GetStringAsync(new UriBuilder(server.Url("/asyncapi.json")) { Scheme = "http" }.Uri);

        Assert.DoesNotContain("correlationId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"id\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Replies_are_what_the_handler_sends()
    {
        // A plain value: its own JSON.
        JsonElement plain = ReplyPayload("kinds.receive.valueTaskOfT");
        Assert.Contains("number", Types(plain));

        // A WsResponse: an event with its data.
        JsonElement response = ReplyPayload("kinds.receive.taskWsResponse");
        Assert.Equal("object", response.GetProperty("type").GetString());
        Assert.Equal("array", Resolve(response.GetProperty("properties").GetProperty("data")).GetProperty("type").GetString());

        // A stream: one message per item, marked as such.
        JsonElement stream = Operation("kinds.receive.stream").GetProperty("reply").GetProperty("messages")[0];
        JsonElement streamMessage = Message(stream);
        Assert.True(streamMessage.GetProperty("x-gateway-stream").GetBoolean());
        // IAsyncEnumerable<string?>: the items' annotation, which string's metadata cannot carry, comes from the generator.
        Assert.Equal(["null", "string"], Types(streamMessage.GetProperty("payload")).Order());
        Assert.Equal(["null", "string"], Types(ReplyPayload("kinds.receive.null")).Order());
        Assert.Equal(["string"], Types(ReplyPayload("kinds.receive.empty")));

        // Nothing sent: no reply.
        Assert.False(Operation("kinds.receive.void").TryGetProperty("reply", out _));
    }

    [Fact]
    public void Object_schemas_come_from_the_json_metadata_with_its_naming_policy()
    {
        // ClientEvents' RoomMessage(string Room, string Text), sent through the test context (camelCase).
        JsonElement message = Message(Operation("chat.send.message").GetProperty("messages")[0]);
        JsonElement data = Resolve(message.GetProperty("payload").GetProperty("properties").GetProperty("data"));
        Assert.Equal(["room", "text"], data.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Authorization_marks_the_operations_that_need_an_authenticated_handshake()
    {
        // SecureGateway: [Authorize] on the class, so on all its handlers.
        Assert.True(Operation("secure.receive.whoami").TryGetProperty("security", out JsonElement security));
        Assert.Equal("#/components/securitySchemes/bearer", security[0].GetProperty("$ref").GetString());
        Assert.Equal("http", _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("type").GetString());

        // LobbyGateway: open, except one [Authorize] handler.
        Assert.False(Operation("lobby.receive.hello").TryGetProperty("security", out _));
        Assert.True(Operation("lobby.receive.members").TryGetProperty("security", out _));
        Assert.False(Operation("kinds.receive.count").TryGetProperty("security", out _));
    }

    [Theory]
    [InlineData(typeof(ChatMessage), "ChatMessage")]
    [InlineData(typeof(List<int>), "List_Int32")]
    [InlineData(typeof(int[]), "Int32_Array")]
    [InlineData(typeof(Dictionary<string, List<ChatMessage>>), "Dictionary_String_List_ChatMessage")]
    [InlineData(typeof(Nested.Inner), "Inner")]
    public void Schema_names_are_readable(Type type, string expected) =>
        Assert.Equal(expected, Gateway.Internal.AsyncApi.TypeNames.Readable(type));

    public static class Nested
    {
        public sealed class Inner;
    }

    private JsonElement Operation(string id)
    {
        Assert.True(
            _document.GetProperty("operations").TryGetProperty(id, out JsonElement operation),
            $"no operation {id}; there are: {string.Join(", ", _document.GetProperty("operations").EnumerateObject().Select(o => o.Name))}");
        return operation;
    }

    private static string[] Types(JsonElement schema) => schema.GetProperty("type") is { ValueKind: JsonValueKind.Array } types
        ? [.. types.EnumerateArray().Select(t => t.GetString()!)]
        : [schema.GetProperty("type").GetString()!];

    private JsonElement ReplyPayload(string operation) =>
        Message(Operation(operation).GetProperty("reply").GetProperty("messages")[0]).GetProperty("payload");

    /// <summary>A channel's message reference, followed to its component.</summary>
    private JsonElement Message(JsonElement reference) => Resolve(Resolve(reference));

    private JsonElement Resolve(JsonElement node)
    {
        while (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out JsonElement reference))
        {
            node = _document;
            foreach (string segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                node = node.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }
        }

        return node;
    }
}

/// <summary>
/// The Events sample opts in to <c>GatewayAsyncApiDocument</c>: its build wrote the document next to its assembly,
/// and it is the document the running sample serves, byte for byte.
/// </summary>
public sealed class AsyncApiBuildOutputTests
{
    [Fact]
    public async Task The_build_writes_the_document_the_app_serves()
    {
        string dll = ChildProcess.AssemblyMetadata("EventsSample");
        string written = Path.ChangeExtension(dll, ".asyncapi.json");
        Assert.True(File.Exists(written), $"The build of samples/Events wrote no {written} (buildTransitive/Gateway.targets).");

        (ChildProcess sample, string url) = await SampleProcess.StartAsync("EventsSample");
        await using ChildProcess _ = sample;
        using var http = new HttpClient();
        byte[] served = await http.GetByteArrayAsync(url + "/asyncapi.json");

        Assert.Equal(served, await File.ReadAllBytesAsync(written));
        // The whole document of the article's gateway, as reviewed.
        Snapshot.Matches("events.asyncapi.verified.json", System.Text.Encoding.UTF8.GetString(served));
    }
}
