using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Internal.AsyncApi;

/// <summary>
/// Writes the AsyncAPI 3.0 document of an application's gateways: a channel per gateway path, a <c>receive</c>
/// operation per handler (its message the NestJS envelope, its reply what the handler sends), a <c>send</c> operation
/// per <c>[ClientEvents]</c> event, and the handshake's authentication where <c>[Authorize]</c> asks for it.
/// </summary>
/// <remarks>
/// The channels and operations come from the generator (<see cref="GatewayDefinition.DescribeOperations"/>); the
/// schemas from the same source-generated JSON metadata the gateway binds with, through
/// <see cref="JsonSchemaExporter"/>, so naming policies and <c>[JsonPropertyName]</c> are what the wire has. Built
/// once per endpoint, on its first request.
/// </remarks>
internal sealed class AsyncApiDocument
{
    private const string BearerScheme = "bearer";
    private const string RequestId = "requestId";
    private static readonly JsonSchemaExporterOptions s_exporterOptions = new() { TreatNullObliviousAsNonNullable = true };

    private readonly JsonObject _schemas = [];
    private readonly Dictionary<Type, string> _schemaKeys = [];
    private readonly JsonObject _channels = [];
    private readonly JsonObject _operations = [];
    private readonly JsonObject _messages = [];
    private bool _secured;

    // GatewayOptions.CorrelationIds: handled messages may carry an "id" their answers echo (docs/protocol-extensions.md).
    private bool _correlated;

    /// <summary>The document of <paramref name="gateways"/> and the registered <paramref name="contracts"/>, as UTF-8 JSON.</summary>
    public static byte[] Write(
        IReadOnlyList<GatewayDefinition> gateways,
        IReadOnlyList<(string Contract, IReadOnlyList<GatewayClientEvent> Events)> contracts,
        GatewayAsyncApiOptions options,
        bool correlationIds = true)
    {
        var document = new AsyncApiDocument { _correlated = correlationIds };
        var channelKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (IGrouping<string, GatewayDefinition> path in gateways.GroupBy(static g => g.Path, StringComparer.Ordinal))
        {
            document.AddChannel(UniqueKey(channelKeys, Key(path.Key.Trim('/') is { Length: > 0 } p ? p : "root")), path.Key, [.. path], contracts);
        }

        var info = new JsonObject { ["title"] = options.Title, ["version"] = options.Version };
        if (options.Description is { } description)
        {
            info["description"] = description;
        }

        var components = new JsonObject { ["messages"] = document._messages, ["schemas"] = document._schemas };
        if (correlationIds)
        {
            components["correlationIds"] = new JsonObject
            {
                [RequestId] = new JsonObject
                {
                    ["description"] = "Optional: a message with an \"id\" is answered by frames that carry it back, {\"id\",\"data\"} (or a WsResponse's {\"event\",\"data\",\"id\"}), the last with \"end\": true, so parallel requests can be told apart and streams ended (docs/protocol-extensions.md).",
                    ["location"] = "$message.payload#/id",
                },
            };
        }

        if (document._secured)
        {
            components["securitySchemes"] = new JsonObject
            {
                [BearerScheme] = new JsonObject
                {
                    ["type"] = "http",
                    ["scheme"] = "bearer",
                    ["description"] = "ASP.NET Core authentication of the WebSocket handshake (a header, a cookie, or the query-string token the app accepts).",
                },
            };
        }

        var root = new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = info,
            ["defaultContentType"] = "application/json",
            ["channels"] = document._channels,
            ["operations"] = document._operations,
            ["components"] = components,
        };

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Protocol.JsonStringifyEncoder.Instance }))
        {
            root.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void AddChannel(
        string channel, string address, List<GatewayDefinition> gateways, IReadOnlyList<(string Contract, IReadOnlyList<GatewayClientEvent> Events)> contracts)
    {
        var messages = new JsonObject();
        var messageKeys = new HashSet<string>(StringComparer.Ordinal);
        var channelObject = new JsonObject
        {
            ["address"] = address,
            ["title"] = string.Join(", ", gateways.Select(static g => g.Name)),
            ["messages"] = messages,
        };
        if (gateways.Select(static g => g.SocketIONamespace).Distinct(StringComparer.Ordinal).ToList() is [string socketIONamespace])
        {
            // Where the same handlers answer over Socket.IO (MapSocketIO): events are Socket.IO events, replies acks.
            channelObject["x-socketio-namespace"] = socketIONamespace;
        }

        _channels[channel] = channelObject;
        foreach (GatewayDefinition gateway in gateways)
        {
            bool gatewaySecured = RequiresAuthentication(gateway.EndpointMetadata);
            IReadOnlyList<GatewayOperation> operations = gateway.DescribeOperations();
            for (int handler = 0; handler < operations.Count; handler++)
            {
                GatewayOperation operation = operations[handler];
                IReadOnlyList<object>? handlerAuthorization = gateway.HandlerAuthorization?[handler];
                bool secured = (gatewaySecured && !AllowsAnonymous(handlerAuthorization)) || RequiresAuthentication(handlerAuthorization);
                AddReceive(channel, messages, messageKeys, gateway, gateway.HandlerNames[handler], operation, secured);
            }
        }

        foreach ((string contract, IReadOnlyList<GatewayClientEvent> events) in contracts)
        {
            foreach (GatewayClientEvent clientEvent in events)
            {
                string key = UniqueKey(messageKeys, Key(clientEvent.Event));
                messages[key] = Message(channel + "." + key, clientEvent.Event, $"Sent by the server ({contract}).", Envelope(clientEvent.Event, clientEvent.Data is { } data ? Schema(data, clientEvent.Nullable) : null, dataRequired: clientEvent.Data is not null));
                _operations[UniqueKey(_operations, channel + ".send." + key)] = new JsonObject
                {
                    ["action"] = "send",
                    ["channel"] = Ref("#/channels/" + channel),
                    ["summary"] = $"{contract}: the server sends \"{clientEvent.Event}\".",
                    ["messages"] = new JsonArray(Ref($"#/channels/{channel}/messages/{key}")),
                };
            }
        }
    }

    private void AddReceive(
        string channel, JsonObject messages, HashSet<string> messageKeys, GatewayDefinition gateway, string handlerName, GatewayOperation operation, bool secured)
    {
        JsonObject? data = operation.Payload is { } payload ? Schema(payload, operation.PayloadNullable) : PropertiesSchema(operation.PayloadProperties);
        string key = UniqueKey(messageKeys, Key(operation.Event));
        JsonObject envelope = Envelope(operation.Event, data, operation.PayloadRequired);
        if (_correlated)
        {
            ((JsonObject)envelope["properties"]!)["id"] = new JsonObject
            {
                ["type"] = new JsonArray("string", "number"),
                ["description"] = "Optional correlation id, echoed by every frame that answers this message.",
            };
        }

        messages[key] = Message(channel + "." + key, operation.Event, $"Handled by {gateway.Name}.{handlerName}.", envelope, correlated: _correlated);
        var receive = new JsonObject
        {
            ["action"] = "receive",
            ["channel"] = Ref("#/channels/" + channel),
            ["summary"] = $"{gateway.Name}.{handlerName} handles \"{operation.Event}\".",
            ["messages"] = new JsonArray(Ref($"#/channels/{channel}/messages/{key}")),
        };
        if (operation.Reply != GatewayReplyKind.None)
        {
            string replyKey = UniqueKey(messageKeys, key + ".reply");
            JsonObject itemSchema = operation.ReplyType is { } replyType ? Schema(replyType, operation.ReplyNullable) : [];
            bool wsResponse = operation.Reply is GatewayReplyKind.Event or GatewayReplyKind.EventStream;
            bool stream = operation.Reply is GatewayReplyKind.Stream or GatewayReplyKind.EventStream;
            JsonObject replyPayload = wsResponse
                ? new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "A WsResponse: an event the handler names, with its data.",
                    ["properties"] = new JsonObject { ["event"] = new JsonObject { ["type"] = "string" }, ["data"] = itemSchema },
                    ["required"] = new JsonArray("event"),
                }
                : itemSchema;
            string summary = stream
                ? $"Each item of the stream {gateway.Name}.{handlerName} returns, one frame each."
                : $"What {gateway.Name}.{handlerName} returns.";
            messages[replyKey] = Message(channel + "." + replyKey, operation.Event, summary, replyPayload, stream, wsResponse);
            receive["reply"] = new JsonObject
            {
                ["channel"] = Ref("#/channels/" + channel),
                ["messages"] = new JsonArray(Ref($"#/channels/{channel}/messages/{replyKey}")),
            };
        }

        if (secured)
        {
            _secured = true;
            receive["security"] = new JsonArray(Ref("#/components/securitySchemes/" + BearerScheme));
        }

        _operations[UniqueKey(_operations, channel + ".receive." + key)] = receive;
    }

    /// <summary>A message in <c>components/messages</c> under <paramref name="componentKey"/>, referenced from its channel.</summary>
    /// <remarks>
    /// <c>x-gateway-stream</c>: one such message per item, then the end of the request; <c>x-gateway-ws-response</c>:
    /// the payload is a <c>WsResponse</c>'s <c>{"event","data"}</c>, whose data a correlated client takes as the answer.
    /// </remarks>
    private JsonObject Message(string componentKey, string name, string summary, JsonNode payload, bool stream = false, bool wsResponse = false, bool correlated = false)
    {
        componentKey = UniqueKey(_messages, componentKey);
        var message = new JsonObject { ["name"] = name, ["summary"] = summary, ["payload"] = payload };
        if (correlated)
        {
            message["correlationId"] = Ref("#/components/correlationIds/" + RequestId);
        }

        if (stream)
        {
            message["x-gateway-stream"] = true;
        }

        if (wsResponse)
        {
            message["x-gateway-ws-response"] = true;
        }

        _messages[componentKey] = message;
        return Ref("#/components/messages/" + componentKey);
    }

    /// <summary>NestJS's envelope, <c>{"event": name, "data": ...}</c>.</summary>
    private static JsonObject Envelope(string @event, JsonObject? data, bool dataRequired)
    {
        var properties = new JsonObject { ["event"] = new JsonObject { ["const"] = @event } };
        var required = new JsonArray("event");
        if (data is not null)
        {
            properties["data"] = data;
            if (dataRequired)
            {
                required.Add((JsonNode)"data");
            }
        }

        return new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required };
    }

    private JsonObject? PropertiesSchema(IReadOnlyList<GatewayPayloadProperty>? properties)
    {
        if (properties is null or { Count: 0 })
        {
            return null;
        }

        var schemas = new JsonObject();
        var required = new JsonArray();
        foreach (GatewayPayloadProperty property in properties)
        {
            schemas[property.Name] = Schema(property.Type);
            if (property.Required)
            {
                required.Add((JsonNode)property.Name);
            }
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = schemas };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        return schema;
    }

    /// <summary>
    /// The schema of a type: inline for a simple value, else a reference into <c>components/schemas</c>, exported once
    /// per type. The exporter's own references (a recursive type's) are relative to its schema; they are moved under
    /// the component.
    /// </summary>
    /// <remarks><paramref name="nullable"/>: a nullable reference type, which the metadata (of the plain type) does not show.</remarks>
    private JsonObject Schema(JsonTypeInfo typeInfo, bool nullable) => nullable ? OrNull(Schema(typeInfo)) : Schema(typeInfo);

    /// <summary>The schema that also takes null: <c>"type"</c> gets <c>"null"</c>, a reference goes into an <c>anyOf</c>.</summary>
    private static JsonObject OrNull(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonArray types when !types.Any(static t => t?.GetValue<string>() == "null"):
                types.Add((JsonNode)"null");
                return schema;
            case JsonArray:
                return schema;
            case JsonValue type:
                schema["type"] = new JsonArray(type.GetValue<string>(), "null");
                return schema;
            default:
                return schema.Count == 0 ? schema : new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        }
    }

    private JsonObject Schema(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind == JsonTypeInfoKind.None)
        {
            return Export(typeInfo);
        }

        if (!_schemaKeys.TryGetValue(typeInfo.Type, out string? key))
        {
            key = UniqueKey(_schemas, TypeNames.Readable(typeInfo.Type));
            _schemaKeys[typeInfo.Type] = key;
            JsonObject schema = Export(typeInfo);
            Rebase(schema, "#/components/schemas/" + key);
            _schemas[key] = schema;
        }

        return Ref("#/components/schemas/" + key);
    }

    /// <summary>The exporter's schema as an object: a type that takes any JSON (a <c>JsonElement</c>) is <c>true</c> there, <c>{}</c> here.</summary>
    private static JsonObject Export(JsonTypeInfo typeInfo) => typeInfo.GetJsonSchemaAsNode(s_exporterOptions) switch
    {
        JsonObject schema => schema,
        JsonValue value when value.TryGetValue(out bool any) && !any => new JsonObject { ["not"] = new JsonObject() },
        _ => [],
    };

    private static void Rebase(JsonNode? node, string pointer)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue(out string? target) && target.StartsWith('#'))
                {
                    obj["$ref"] = pointer + target[1..];
                }

                foreach (KeyValuePair<string, JsonNode?> property in obj.ToList())
                {
                    Rebase(property.Value, pointer);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Rebase(item, pointer);
                }

                break;
        }
    }

    private static bool RequiresAuthentication(IReadOnlyList<object>? metadata) =>
        metadata is not null && metadata.OfType<IAuthorizeData>().Any() && !AllowsAnonymous(metadata);

    private static bool AllowsAnonymous(IReadOnlyList<object>? metadata) => metadata is not null && metadata.OfType<IAllowAnonymous>().Any();

    private static JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };

    /// <summary>An AsyncAPI key (<c>^[A-Za-z0-9.\-_]+$</c>) for a name that may hold any character.</summary>
    private static string Key(string name)
    {
        var key = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return key.Length > 0 ? key.ToString() : "_";
    }

    private static string UniqueKey(HashSet<string> used, string key)
    {
        string unique = key;
        for (int i = 2; !used.Add(unique); i++)
        {
            unique = key + "_" + i;
        }

        return unique;
    }

    private static string UniqueKey(JsonObject used, string key)
    {
        string unique = key;
        for (int i = 2; used.ContainsKey(unique); i++)
        {
            unique = key + "_" + i;
        }

        return unique;
    }
}
