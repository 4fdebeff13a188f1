using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A WebSocket client written by hand over TCP, for what no well-behaved client does: a handshake it chooses, frames
/// that break the protocol, and silence (it never answers pings and reads only when told).
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly TcpClient _tcp;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
    }

    public NetworkStream Stream { get; }

    /// <summary>Opens the TCP connection and sends a handshake; returns the client and the response's head.</summary>
    public static async Task<(RawWebSocket Socket, string Response)> ConnectAsync(Uri server, string path, string version = "13", string? origin = null)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port);
            var socket = new RawWebSocket(tcp);
            string request =
                $"GET {path} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: {version}\r\n" +
                (origin is null ? "" : $"Origin: {origin}\r\n") + "\r\n";
            await socket.Stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            return (socket, await socket.ReadHeadAsync());
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>A client frame (masked, as clients must) with a payload under 126 bytes.</summary>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true)
    {
        Assert.True(payload.Length < 126);
        byte[] mask = [1, 2, 3, 4];
        byte[] frame = [(byte)((fin ? 0x80 : 0) | opcode), (byte)(0x80 | payload.Length), .. mask, .. payload];
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] ^= mask[i % 4];
        }

        return frame;
    }

    public void Dispose() => _tcp.Dispose();

    /// <summary>Reads the status line and headers, one byte at a time so that nothing after them is consumed.</summary>
    private async Task<string> ReadHeadAsync()
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await Stream.ReadAsync(one, timeout.Token));
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
