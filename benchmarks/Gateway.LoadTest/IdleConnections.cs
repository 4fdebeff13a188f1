using System.Net;
using System.Text.Json;

namespace Gateway.LoadTest;

/// <summary>Opens many connections concurrently, each used for one identity round trip and then left idle.</summary>
internal static class IdleConnections
{
    private const int OpenConcurrency = 32;
    private const int ReceiveBuffer = 1024;

    /// <summary>Opens <paramref name="count"/> connections; failures are added to <paramref name="errors"/> as "{label} i: message".</summary>
    public static WsConnection?[] Open(IPEndPoint endPoint, string path, ServerProtocol protocol, int count, string label, List<string> errors)
    {
        var open = new WsConnection?[count];
        int next = -1;
        using var setup = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        Task[] openers = Enumerable.Range(0, Math.Min(OpenConcurrency, count)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    WsConnection connection = await WsConnection.ConnectAsync(endPoint, path, protocol, ReceiveBuffer, setup.Token)
                        .ConfigureAwait(false);
                    open[i] = connection;
                    // Used once, then idle: the server has set up everything a connection keeps.
                    await connection.IdentityAsync(protocol, i, setup.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ProtocolException or OperationCanceledException or JsonException)
                {
                    lock (errors)
                    {
                        errors.Add($"{label} {i}: {ex.Message}");
                    }
                }
            }
        })).ToArray();
        Task.WaitAll(openers);
        return open;
    }
}
