using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Gateway.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId} opened on {Path}.")]
    public static partial void ConnectionOpened(ILogger logger, string connectionId, string path);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} closed with status {CloseStatus}.")]
    public static partial void ConnectionClosed(ILogger logger, string connectionId, WebSocketCloseStatus? closeStatus);

    [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId} dropped a message: {Reason}.")]
    public static partial void MessageDropped(ILogger logger, string connectionId, string reason);

    [LoggerMessage(4, LogLevel.Error, "Handler of event '{Event}' in {Gateway} failed on connection {ConnectionId}.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string @event, string gateway, string connectionId);

    [LoggerMessage(5, LogLevel.Error, "Connection hook of {Gateway} failed on connection {ConnectionId}.")]
    public static partial void ConnectionHookFailed(ILogger logger, Exception exception, string gateway, string connectionId);

    [LoggerMessage(6, LogLevel.Error, "Disconnect hook of {Gateway} failed on connection {ConnectionId}.")]
    public static partial void DisconnectHookFailed(ILogger logger, Exception exception, string gateway, string connectionId);

    [LoggerMessage(7, LogLevel.Debug, "Connection {ConnectionId} sent a message larger than {MaxMessageSize} bytes; closing with 1009.")]
    public static partial void MessageTooBig(ILogger logger, string connectionId, int maxMessageSize);

    [LoggerMessage(8, LogLevel.Debug, "Connection {ConnectionId} ended abruptly.")]
    public static partial void ConnectionLost(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(9, LogLevel.Debug, "Could not send a frame answering a message (an error, a request's end) to connection {ConnectionId}.")]
    public static partial void ErrorFrameNotSent(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(10, LogLevel.Debug, "Connection {ConnectionId} was refused by {Gateway}: {Message}")]
    public static partial void ConnectionRejected(ILogger logger, string connectionId, string gateway, string message);

    [LoggerMessage(11, LogLevel.Error, "Disposing the services of a message failed on connection {ConnectionId}.")]
    public static partial void ScopeDisposeFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(12, LogLevel.Debug, "Connection {ConnectionId} dropped {Count} outbound frame(s): {Reason}.")]
    public static partial void FramesDropped(ILogger logger, string connectionId, long count, string reason);

    [LoggerMessage(13, LogLevel.Debug, "A handshake on {Path} from {RemoteAddress} was refused: {Reason}.")]
    public static partial void ConnectionRejectedAtHandshake(ILogger logger, string path, string reason, string? remoteAddress);

    [LoggerMessage(14, LogLevel.Debug, "Connection {ConnectionId} was refused: its user already holds {Max} connections.")]
    public static partial void ConnectionOverUserLimit(ILogger logger, string connectionId, int max);

    [LoggerMessage(15, LogLevel.Debug, "Connection {ConnectionId} did not finish a message within {Timeout}; dropping it.")]
    public static partial void MessageTimedOut(ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(16, LogLevel.Debug, "Connection {ConnectionId}'s authentication expired; closing it with 1008.")]
    public static partial void AuthenticationExpired(ILogger logger, string connectionId);

    [LoggerMessage(17, LogLevel.Error, "Exception filter {Filter} failed on event '{Event}' of {Gateway}, connection {ConnectionId}; the default frame is sent.")]
    public static partial void ExceptionFilterFailed(ILogger logger, Exception exception, string filter, string @event, string gateway, string connectionId);

    [LoggerMessage(18, LogLevel.Warning, "A gateway is served on port {Port} only, but the server does not listen on it: add the port to the server's URLs or Kestrel endpoints.")]
    public static partial void GatewayPortNotListened(ILogger logger, int port);

    [LoggerMessage(19, LogLevel.Error, "Disposing the instance of {Gateway} failed on connection {ConnectionId}.")]
    public static partial void GatewayDisposeFailed(ILogger logger, Exception exception, string gateway, string connectionId);

    [LoggerMessage(20, LogLevel.Debug, "Socket.IO session {SessionId} opened over {Transport}.")]
    public static partial void SocketIOSessionOpened(ILogger logger, string sessionId, string transport);

    [LoggerMessage(21, LogLevel.Debug, "Socket.IO session {SessionId} closed: {Reason}.")]
    public static partial void SocketIOSessionClosed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(22, LogLevel.Debug, "Socket.IO session {SessionId} sent a malformed packet and is closed: {Problem}")]
    public static partial void SocketIOProtocolError(ILogger logger, string sessionId, string problem);

    [LoggerMessage(23, LogLevel.Debug, "Connection {ConnectionId} lost its transport; it waits {Window} for its client to resume.")]
    public static partial void ConnectionAwaitsResumption(ILogger logger, string connectionId, TimeSpan window);

    [LoggerMessage(24, LogLevel.Debug, "Connection {ConnectionId} resumed; {Replayed} missed frames sent again.")]
    public static partial void ConnectionResumed(ILogger logger, string connectionId, int replayed);

    [LoggerMessage(25, LogLevel.Debug, "A client asked to resume a connection and could not: {Outcome}.")]
    public static partial void ConnectionNotResumed(ILogger logger, string outcome);
}
