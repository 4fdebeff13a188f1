using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Infrastructure;

/// <summary>How a handler answers, as contract documents describe it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum GatewayReplyKind
{
    /// <summary>Nothing is sent.</summary>
    None,

    /// <summary>One frame with the result's JSON.</summary>
    Value,

    /// <summary>One <c>{"event","data"}</c> frame (a <c>WsResponse&lt;T&gt;</c>), whose event the handler chooses.</summary>
    Event,

    /// <summary>A frame per item of an <c>IAsyncEnumerable&lt;T&gt;</c>.</summary>
    Stream,

    /// <summary>A <c>{"event","data"}</c> frame per item of an <c>IAsyncEnumerable&lt;WsResponse&lt;T&gt;&gt;</c>.</summary>
    EventStream,
}

/// <summary>
/// What one handler receives and answers, for contract documents (<c>MapGatewaysAsyncApi()</c>); the generator
/// describes each handler with the JSON metadata it binds and sends with.
/// </summary>
/// <param name="event">The event the handler answers.</param>
/// <param name="payload">The metadata of the whole <c>data</c>, or null when the handler binds none or binds properties of it.</param>
/// <param name="payloadRequired">Whether a message must carry <c>data</c>.</param>
/// <param name="payloadProperties">The properties of <c>data</c> the handler binds one by one, or null.</param>
/// <param name="reply">How the handler answers.</param>
/// <param name="replyType">The metadata of what it sends (each item of a stream, the data of an event), or null.</param>
/// <param name="payloadNullable">Whether <c>data</c> is a nullable reference type (<c>string?</c>), which its metadata cannot say.</param>
/// <param name="replyNullable">Whether what the handler sends is a nullable reference type.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GatewayOperation(
    string @event,
    JsonTypeInfo? payload,
    bool payloadRequired,
    IReadOnlyList<GatewayPayloadProperty>? payloadProperties,
    GatewayReplyKind reply,
    JsonTypeInfo? replyType,
    bool payloadNullable,
    bool replyNullable)
{
    /// <summary>Whether <c>data</c> may be null (a nullable reference type; a <c>Nullable&lt;T&gt;</c>'s metadata says so itself).</summary>
    public bool PayloadNullable { get; } = payloadNullable;

    /// <summary>Whether what the handler sends may be null.</summary>
    public bool ReplyNullable { get; } = replyNullable;

    /// <summary>The event the handler answers.</summary>
    public string Event { get; } = @event;

    /// <summary>The metadata of the whole <c>data</c>, or null.</summary>
    public JsonTypeInfo? Payload { get; } = payload;

    /// <summary>Whether a message must carry <c>data</c>.</summary>
    public bool PayloadRequired { get; } = payloadRequired;

    /// <summary>The properties of <c>data</c> bound one by one, or null.</summary>
    public IReadOnlyList<GatewayPayloadProperty>? PayloadProperties { get; } = payloadProperties;

    /// <summary>How the handler answers.</summary>
    public GatewayReplyKind Reply { get; } = reply;

    /// <summary>The metadata of what the handler sends, or null when it sends nothing.</summary>
    public JsonTypeInfo? ReplyType { get; } = replyType;
}

/// <summary>A property of <c>data</c> a handler binds to a parameter of its own (<c>[MessageBody("name")]</c>).</summary>
/// <param name="name">The property's name in the JSON.</param>
/// <param name="type">Its metadata.</param>
/// <param name="required">Whether the message must carry it.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GatewayPayloadProperty(string name, JsonTypeInfo type, bool required)
{
    /// <summary>The property's name in the JSON.</summary>
    public string Name { get; } = name;

    /// <summary>Its metadata.</summary>
    public JsonTypeInfo Type { get; } = type;

    /// <summary>Whether the message must carry it.</summary>
    public bool Required { get; } = required;
}

/// <summary>An event of a <c>[ClientEvents]</c> contract, for contract documents.</summary>
/// <param name="event">The event name on the wire.</param>
/// <param name="data">The metadata of its data, or null for an event without data.</param>
/// <param name="nullable">Whether the data is a nullable reference type (<c>string?</c>), which its metadata cannot say.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GatewayClientEvent(string @event, JsonTypeInfo? data, bool nullable)
{
    /// <summary>Whether the data may be null.</summary>
    public bool Nullable { get; } = nullable;

    /// <summary>The event name on the wire.</summary>
    public string Event { get; } = @event;

    /// <summary>The metadata of its data, or null.</summary>
    public JsonTypeInfo? Data { get; } = data;
}
