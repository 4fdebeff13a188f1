using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gateway;

/// <summary>
/// An error a handler or connection hook reports to the client as an <c>exception</c> frame, as NestJS's
/// <c>WsException</c>. The connection stays open (unless thrown from a connection hook).
/// </summary>
public class WsException : Exception
{
    /// <summary>
    /// Sends <c>{"event":"exception","data":{"status":"error","message":message,"cause":{...}}}</c>.
    /// </summary>
    /// <param name="message">The message shown to the client.</param>
    public WsException(string message) : base(message)
    {
    }

    /// <summary>Sends <c>{"event":"exception","data":error}</c>, with <paramref name="error"/> serialized by <paramref name="typeInfo"/>.</summary>
    /// <param name="error">The payload sent as <c>data</c>.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for the payload's type.</param>
    public WsException(object error, JsonTypeInfo typeInfo) : base("WebSocket exception with an object payload.")
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(typeInfo);
        Error = error;
        ErrorTypeInfo = typeInfo;
    }

    /// <summary>Sends <c>{"event":"exception","data":error}</c>.</summary>
    /// <param name="error">The payload sent as <c>data</c>.</param>
    public WsException(JsonElement error) : this(error, GatewayJsonContext.Default.JsonElement)
    {
    }

    /// <summary>The object payload, or <see langword="null"/> when the exception carries a string message.</summary>
    public object? Error { get; }

    /// <summary>The JSON metadata for <see cref="Error"/>.</summary>
    public JsonTypeInfo? ErrorTypeInfo { get; }

    /// <summary>Writes properties of its own beside <c>status</c> and <c>message</c> in the default frame (validation errors).</summary>
    internal virtual void WriteDetails(Utf8JsonWriter writer)
    {
    }
}
