using System.Text.Json;

namespace Gateway.Client;

/// <summary>The server answered a request with an <c>exception</c> frame (a <c>WsException</c>, a refusal, an invalid payload).</summary>
public sealed class GatewayRequestException : Exception
{
    /// <summary>Creates the exception for the frame's <c>data</c>.</summary>
    /// <param name="error">The <c>data</c> of the exception frame.</param>
    public GatewayRequestException(JsonElement error)
        : base(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String
            ? message.GetString()
            : error.GetRawText())
    {
        Error = error;
    }

    /// <summary>The <c>data</c> of the exception frame: <c>{"status":"error","message":...,"cause":...}</c>, or a <c>WsException</c>'s object.</summary>
    public JsonElement Error { get; }
}
