using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Internal;
using Gateway.Internal.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Infrastructure;

/// <summary>
/// One inbound message as the generated dispatch code sees it: the connection and the raw JSON of <c>data</c>.
/// Used by generated code; not meant to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GatewayMessage
{
    private readonly MessageScope _scope;

    internal GatewayMessage(GatewayClient client, ReadOnlyMemory<byte> data, MessageScope scope)
    {
        Client = client;
        Data = data;
        _scope = scope;
    }

    /// <summary>The connection the message arrived on.</summary>
    public GatewayClient Client { get; }

    /// <summary>The raw UTF-8 JSON of the frame's <c>data</c>; empty when the frame had none.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The HTTP upgrade request of the connection.</summary>
    public HttpContext HttpContext => Client.HttpContext;

    /// <summary>
    /// The handler's token: signalled when the connection ends or the application stops (a graceful shutdown
    /// stops handlers in flight, then closes their connections with 1001).
    /// </summary>
    public CancellationToken ConnectionAborted => Client.HandlerAborted;

    /// <summary>
    /// Deserializes the whole <c>data</c>, for a parameter that takes null: a missing <c>data</c> gives
    /// <see langword="default"/>.
    /// </summary>
    public T? ReadData<T>(JsonTypeInfo<T> typeInfo) =>
        typeof(T) == typeof(GatewayArguments) ? (T)(object)GatewayArguments.Read(Data.Span, _scope.BinaryArguments) : Deserialize(Data.Span, typeInfo);

    /// <summary>
    /// Deserializes the whole <c>data</c>, for a parameter that does not take null: a missing or null <c>data</c> is
    /// an invalid payload, never a null or default value passed to the handler.
    /// </summary>
    public T ReadRequiredData<T>(JsonTypeInfo<T> typeInfo) =>
        typeof(T) == typeof(GatewayArguments) ? (T)(object)GatewayArguments.Read(Data.Span, _scope.BinaryArguments) : DeserializeRequired(Data.Span, typeInfo);

    /// <summary>
    /// Deserializes the property <paramref name="utf8PropertyName"/> of the <c>data</c> object, for a parameter that
    /// takes null: a missing <c>data</c> or property gives <see langword="default"/>, a <c>data</c> that is not an
    /// object is an invalid payload.
    /// </summary>
    public T? ReadDataProperty<T>(ReadOnlySpan<byte> utf8PropertyName, JsonTypeInfo<T> typeInfo) =>
        Deserialize(MessageData.FindProperty(Data.Span, utf8PropertyName), typeInfo);

    /// <summary>
    /// Deserializes the property <paramref name="utf8PropertyName"/> of the <c>data</c> object, for a parameter that
    /// does not take null: a missing or null <c>data</c> or property is an invalid payload.
    /// </summary>
    public T ReadRequiredDataProperty<T>(ReadOnlySpan<byte> utf8PropertyName, JsonTypeInfo<T> typeInfo) =>
        DeserializeRequired(MessageData.FindProperty(Data.Span, utf8PropertyName), typeInfo);

    // Checked before deserializing, since a missing int would read as 0; after, since a JSON null reads as a null
    // reference (a null for a value type is already a JsonException).
    private static T DeserializeRequired<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        if (json.IsEmpty)
        {
            throw MissingData();
        }

        return Deserialize(json, typeInfo) ?? throw MissingData();
    }

    private static InvalidPayloadException MissingData() =>
        new(new JsonException("The message data is missing or null, and the handler's parameter does not take null."));

    /// <summary>
    /// Resolves a service from this message's DI scope: created on the first service the handler asks for and
    /// disposed when the handler completes, so a scoped service lives for one message.
    /// </summary>
    public T GetRequiredService<T>() where T : notnull => _scope.Services.GetRequiredService<T>();

    /// <summary>Resolves an optional service from this message's DI scope.</summary>
    public T? GetService<T>() => _scope.Services.GetService<T>();

    /// <summary>Resolves an optional service from this message's DI scope, or returns the parameter's default value when none is registered.</summary>
    public T GetServiceOrDefault<T>(T defaultValue) => ServiceDefaults.GetServiceOrDefault(_scope.Services, defaultValue);

    /// <summary>The route value <paramref name="name"/> of the connection's path (<c>[FromRoute] string? name</c>), or null.</summary>
    public string? RouteValue(string name) => Client.HttpContext.Request.RouteValues[name] as string;

    /// <summary>The route value <paramref name="name"/> of the connection's path, for a parameter that does not take null.</summary>
    public string RequiredRouteValue(string name) =>
        RouteValue(name) ?? throw new WsException($"The route value '{name}' is missing.");

    /// <summary>The route value <paramref name="name"/>, parsed with invariant culture (<c>[FromRoute] int roomId</c>).</summary>
    public T ParseRouteValue<T>(string name) where T : IParsable<T> =>
        T.TryParse(RouteValue(name), System.Globalization.CultureInfo.InvariantCulture, out T? value)
            ? value
            : throw new WsException($"The route value '{name}' is not a valid {typeof(T)}.");

    /// <summary>
    /// Validates a <c>[ValidatableType]</c> payload before the handler runs; a failure throws a
    /// <see cref="GatewayValidationException"/> with every failed member, named as the client's JSON names them.
    /// </summary>
    public ValueTask ValidateAsync<T>(T value, string displayName, JsonSerializerOptions jsonOptions) =>
        (_scope.Validator ?? throw new InvalidOperationException("Payload validation was not initialized."))
            .ValidateAsync(value, displayName, jsonOptions, _scope, ConnectionAborted);

    /// <summary>
    /// Sends a handler's result as one frame holding the JSON of the value itself; when the message carried a
    /// correlation id, as <c>{"id":...,"data":...,"end":true}</c>.
    /// </summary>
    public ValueTask ReplyAsync<T>(T value, JsonTypeInfo<T> typeInfo) =>
        Client.SendFrameAsync(new ReplyFrame<T>(value, typeInfo, Terminate(), terminal: true), Client.ConnectionAborted);

    /// <summary>Sends a <see cref="WsResponse{T}"/> result as <c>{"event":...,"data":...}</c> (with the id and <c>"end":true</c> when correlated).</summary>
    public ValueTask ReplyEventAsync<T>(WsResponse<T> response, JsonTypeInfo<T> typeInfo) =>
        Client.SendFrameAsync(new ReplyEventFrame<T>(response.Event, response.Data, typeInfo, Terminate(), terminal: true), Client.ConnectionAborted);

    /// <summary>Sends one item of a stream handler (with the id when correlated; the stream's end follows the last item).</summary>
    public ValueTask ReplyItemAsync<T>(T item, JsonTypeInfo<T> typeInfo) =>
        Client.SendFrameAsync(new ReplyFrame<T>(item, typeInfo, ItemId(), terminal: false), Client.ConnectionAborted);

    /// <summary>Sends one <see cref="WsResponse{T}"/> item of a stream handler.</summary>
    public ValueTask ReplyEventItemAsync<T>(WsResponse<T> item, JsonTypeInfo<T> typeInfo) =>
        Client.SendFrameAsync(new ReplyEventFrame<T>(item.Event, item.Data, typeInfo, _scope.CorrelationId, terminal: false), Client.ConnectionAborted);

    // The correlation id of a stream item; a protocol that answers once (a Socket.IO ack) gives it to the first only.
    private ReadOnlyMemory<byte> ItemId()
    {
        ReadOnlyMemory<byte> id = _scope.CorrelationId;
        if (!id.IsEmpty && Client.Registry.Protocol.AcknowledgesOnce)
        {
            _scope.CorrelationId = default;
        }

        return id;
    }

    // The correlation id of this message's terminal frame (empty when none), noting that the request is answered.
    private ReadOnlyMemory<byte> Terminate()
    {
        ReadOnlyMemory<byte> id = _scope.CorrelationId;
        if (!id.IsEmpty)
        {
            _scope.Terminated = true;
        }

        return id;
    }

    private static T? Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        if (json.IsEmpty)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException ex)
        {
            throw new InvalidPayloadException(ex);
        }
    }
}
