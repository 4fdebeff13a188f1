using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Infrastructure;

/// <summary>
/// Where a generated client-events proxy sends its frames: one connection (<see cref="GatewayClient"/>) or a set of
/// them (<see cref="GatewayTarget"/>). Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGatewayEventSink
{
    /// <summary>Sends <c>{"event": eventName, "data": data}</c>.</summary>
    ValueTask SendAsync<T>(string eventName, T data, JsonTypeInfo<T> typeInfo);

    /// <summary>Sends <c>{"event": eventName}</c>, an event without data.</summary>
    ValueTask SendAsync(string eventName);
}
