using System.Text.Json.Serialization.Metadata;

namespace Gateway;

/// <summary>
/// A result an <see cref="IGatewayInterceptor"/> sends instead of the handler's, with the JSON metadata to write it
/// (no reflection decides how to serialize it).
/// </summary>
public abstract class GatewayResult
{
    private protected GatewayResult()
    {
    }

    /// <summary>A frame holding the JSON of <paramref name="value"/> itself, as a handler's returned value.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    public static GatewayResult Value<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new ValueResult<T>(value, typeInfo);
    }

    /// <summary>A frame <c>{"event": event, "data": data}</c>, as a handler's <see cref="WsResponse{T}"/>.</summary>
    /// <typeparam name="T">The data's type.</typeparam>
    /// <param name="event">The event name.</param>
    /// <param name="data">The payload.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    public static GatewayResult Event<T>(string @event, T data, JsonTypeInfo<T> typeInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(@event);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new EventResult<T>(@event, data, typeInfo);
    }

    internal abstract ValueTask SendAsync(GatewayMessage message);

    private sealed class ValueResult<T>(T value, JsonTypeInfo<T> typeInfo) : GatewayResult
    {
        internal override ValueTask SendAsync(GatewayMessage message) => message.ReplyAsync(value, typeInfo);
    }

    private sealed class EventResult<T>(string @event, T data, JsonTypeInfo<T> typeInfo) : GatewayResult
    {
        internal override ValueTask SendAsync(GatewayMessage message) => message.ReplyEventAsync(new WsResponse<T>(@event, data), typeInfo);
    }
}
