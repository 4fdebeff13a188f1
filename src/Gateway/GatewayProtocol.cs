namespace Gateway;

/// <summary>The wire protocol a client speaks.</summary>
public enum GatewayProtocol
{
    /// <summary>NestJS's <c>ws</c> adapter protocol (<c>{"event":...,"data":...}</c> over a WebSocket), at the gateway's path.</summary>
    NestWs,

    /// <summary>Socket.IO v5 over Engine.IO v4 (WebSocket or long-polling), in the gateway's namespace.</summary>
    SocketIO,
}
