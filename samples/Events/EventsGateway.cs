using System.Net.WebSockets;
using Gateway;

namespace Events;

/// <summary>The gateway of the NestJS article, line for line.</summary>
[WebSocketGateway]
public partial class EventsGateway(ILogger<EventsGateway> logger) : IOnGatewayConnection, IOnGatewayDisconnect
{
    [SubscribeMessage("events")]
    public WsResponse<int[]> FindAll() => new("events", [1, 2, 3]);

    [SubscribeMessage("identity")]
    public int Identity([MessageBody] int data) => data;

    public ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext)
    {
        LogConnected(logger);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnDisconnectedAsync(GatewayClient client, WebSocketCloseStatus? closeStatus, Exception? exception)
    {
        LogDisconnected(logger);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client connected")]
    private static partial void LogConnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client disconnected")]
    private static partial void LogDisconnected(ILogger logger);
}
