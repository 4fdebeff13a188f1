using System.Net.WebSockets;

namespace Gateway.Internal;

internal static class ConnectionErrors
{
    /// <summary>Whether a send failed because the connection is gone (closed, aborted or disposed), not because of a bug.</summary>
    public static bool IsConnectionGone(Exception exception) =>
        exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException;
}
