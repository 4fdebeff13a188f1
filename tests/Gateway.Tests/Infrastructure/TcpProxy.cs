using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a server: <see cref="Pause"/> drops every connection through it and refuses
/// new ones (as a lost network does) until <see cref="Resume"/>; the server itself keeps running.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stopped = new();
    private readonly Task _accepting;
    private volatile bool _paused;

    public TcpProxy(Uri target)
    {
        _target = target.Port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The same URL as <paramref name="url"/>, through the proxy.</summary>
    public Uri Url(Uri url) => new UriBuilder(url) { Port = Port }.Uri;

    public void Pause()
    {
        _paused = true;
        lock (_connections)
        {
            foreach (TcpClient connection in _connections)
            {
                // A reset, as a dead network shows itself at last (no orderly close).
                if (connection.Client is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    public void Resume() => _paused = false;

    private async Task AcceptAsync()
    {
        while (!_stopped.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopped.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_paused)
            {
                client.Dispose();
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _target);
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(upstream);
            }

            NetworkStream a = client.GetStream();
            NetworkStream b = upstream.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(client);
                _connections.Remove(upstream);
            }

            client.Dispose();
            upstream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopped.CancelAsync();
        _listener.Stop();
        Pause();
        await _accepting;
        _stopped.Dispose();
    }
}
