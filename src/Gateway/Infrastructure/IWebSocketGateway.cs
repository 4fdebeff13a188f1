using System.ComponentModel;

namespace Gateway.Infrastructure;

/// <summary>
/// Implemented by the source generator on every <see cref="WebSocketGatewayAttribute"/> class: exposes the
/// compiled dispatch table without reflection. Not meant to be implemented by hand.
/// </summary>
/// <typeparam name="TSelf">The gateway class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWebSocketGateway<TSelf> where TSelf : class, IWebSocketGateway<TSelf>
{
    /// <summary>The generated definition of the gateway.</summary>
    static abstract GatewayDefinition<TSelf> Definition { get; }
}
