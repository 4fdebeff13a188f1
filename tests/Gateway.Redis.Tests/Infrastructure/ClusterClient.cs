using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Gateway.Redis.Tests.Infrastructure;

/// <summary>A <see cref="ClientWebSocket"/> whose received text messages are collected in order by a background loop.</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private readonly Task _loop;

    private ClusterClient(ClientWebSocket socket)
    {
        _socket = socket;
        _loop = ReceiveLoopAsync();
    }

    public string Id { get; private set; } = "";

    public static async Task<ClusterClient> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, cts.Token);
        var client = new ClusterClient(socket);
        await client.SendAsync("""{"event":"whoami"}""");
        client.Id = JsonSerializer.Deserialize<string>(await client.ReceiveAsync())!;
        return client;
    }

    /// <summary>Connects without the <c>whoami</c> exchange (for gateways that do not have it).</summary>
    public static async Task<ClusterClient> ConnectRawAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, cts.Token);
        return new ClusterClient(socket);
    }

    public async Task SendAsync(string text)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async Task<string> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Client {Id} received nothing within {Timeout}.");
        }
    }

    /// <summary>What has arrived and not been read yet.</summary>
    public List<string> Drain()
    {
        var messages = new List<string>();
        while (_received.Reader.TryRead(out string? message))
        {
            messages.Add(message);
        }

        return messages;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var text = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                text.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _received.Writer.TryWrite(Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length));
                    text.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                await _loop.WaitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
            {
            }
        }

        _socket.Dispose();
    }
}
