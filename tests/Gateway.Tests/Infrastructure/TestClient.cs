using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>A <see cref="ClientWebSocket"/> that sends and receives whole text messages.</summary>
public sealed class TestClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HttpMessageInvoker? _invoker;

    private TestClient(ClientWebSocket socket, HttpMessageInvoker? invoker)
    {
        Socket = socket;
        _invoker = invoker;
    }

    public ClientWebSocket Socket { get; }

    public static async Task<TestClient> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, cts.Token);
        return new TestClient(socket, invoker: null);
    }

    /// <summary>Wraps a socket the test connected itself (with options of its own).</summary>
    public static TestClient Wrap(ClientWebSocket socket) => new(socket, invoker: null);

    /// <summary>
    /// Tries a handshake, with request options of the test's (<paramref name="configure"/>: headers) and its own
    /// connection (<paramref name="invoker"/>, which the client then owns); returns the client, or null when the
    /// server refused, and the handshake's status code either way.
    /// </summary>
    public static async Task<(TestClient? Client, HttpStatusCode Status)> TryConnectAsync(
        Uri uri, Action<ClientWebSocketOptions>? configure = null, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(uri, invoker, cts.Token);
            return (new TestClient(socket, invoker), socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            HttpStatusCode status = socket.HttpStatusCode;
            socket.Dispose();
            invoker?.Dispose();
            return (null, status);
        }
    }

    /// <summary>
    /// Connects over a TCP socket whose receive buffer is fixed at <paramref name="receiveBufferSize"/> (the kernel
    /// does not grow a buffer set before connecting), so a client that does not read holds a known, small amount.
    /// </summary>
    public static async Task<TestClient> ConnectAsync(Uri uri, int receiveBufferSize)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = receiveBufferSize };
                try
                {
                    await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(uri, invoker, cts.Token);
            return new TestClient(socket, invoker);
        }
        catch
        {
            socket.Dispose();
            invoker.Dispose();
            throw;
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends a text frame and returns the next frame received: one request, one answer.</summary>
    public async Task<string> AskAsync(string frame)
    {
        await SendAsync(frame);
        return await ReceiveAsync();
    }

    public async Task SendAsync(byte[] payload, WebSocketMessageType type, int fragmentSize = int.MaxValue)
    {
        using var cts = new CancellationTokenSource(Timeout);
        if (payload.Length == 0)
        {
            await Socket.SendAsync(payload, type, endOfMessage: true, cts.Token);
            return;
        }

        for (int offset = 0; offset < payload.Length; offset += fragmentSize)
        {
            int count = Math.Min(fragmentSize, payload.Length - offset);
            await Socket.SendAsync(payload.AsMemory(offset, count), type, offset + count == payload.Length, cts.Token);
        }
    }

    /// <summary>Receives the next message; fails if it is not text or the connection closes.</summary>
    public async Task<string> ReceiveAsync()
    {
        Message message = await ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, message.Type);
        return message.Text;
    }

    public async Task<Message> ReceiveMessageAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[8192];
        using var text = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result = await Socket.ReceiveAsync(buffer, cts.Token);
            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                byte[] payload = text.ToArray();
                return new Message(result.MessageType, Encoding.UTF8.GetString(payload), result.CloseStatus, payload);
            }
        }
    }

    /// <summary>
    /// Waits for the server's close frame (any data frame before it fails the test) and echoes it, as browsers do.
    /// </summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        Message message = await ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, message.Type);
        using var cts = new CancellationTokenSource(Timeout);
        await Socket.CloseOutputAsync(message.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, cts.Token);
        return message.CloseStatus;
    }

    public async Task CloseAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
    }

    public void Dispose()
    {
        Socket.Dispose();
        _invoker?.Dispose();
    }

    public readonly record struct Message(WebSocketMessageType Type, string Text, WebSocketCloseStatus? CloseStatus, byte[]? Payload = null);
}
