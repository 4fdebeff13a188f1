using System.Net;
using System.Text;

namespace Gateway.LoadTest;

/// <summary>
/// Checks a server's protocol before it is measured. A Nest-protocol server gets the spec's transcript, so that the
/// hand-written server is shown to speak the same protocol as the sample: exact reply bytes, dropped messages answer
/// nothing. A Socket.IO server gets the handshake (Engine.IO open, CONNECT) and one acked request, byte for byte.
/// </summary>
internal static class ProtocolCheck
{
    public static void Run(IPEndPoint endPoint, ServerSpec server)
    {
        if (server.Protocol == ServerProtocol.SocketIO)
        {
            RunSocketIO(endPoint, server.Path);
        }
        else
        {
            RunNest(endPoint, server.Path);
        }
    }

    /// <summary><c>emitWithAck("identity", 5)</c> must be acked with <c>[5]</c> (pings answered, the server's own events skipped).</summary>
    private static void RunSocketIO(IPEndPoint endPoint, string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using WsConnection connection = WsConnection.ConnectAsync(endPoint, path, ServerProtocol.SocketIO, 4096, cts.Token)
            .GetAwaiter().GetResult();
        Send(connection, WsFrames.Text, """427["identity",5]""", cts.Token);
        string ack = Encoding.UTF8.GetString(connection.ReceiveSocketIOPacketAsync(cts.Token).GetAwaiter().GetResult());
        if (ack != "437[5]")
        {
            throw new ProtocolException($"protocol check: expected the ack 437[5], got {ack}");
        }

        connection.CloseAsync(TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
    }

    private static void RunNest(IPEndPoint endPoint, string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using WsConnection connection = WsConnection.ConnectAsync(endPoint, path, ServerProtocol.Nest, 4096, cts.Token)
            .GetAwaiter().GetResult();

        Send(connection, WsFrames.Text, """{"event":"events","data":"hello world"}""", cts.Token);
        Expect(connection, """{"event":"events","data":[1,2,3]}""", cts.Token);
        Send(connection, WsFrames.Text, """{"event":"identity","data":5}""", cts.Token);
        Expect(connection, "5", cts.Token);
        Send(connection, WsFrames.Text, """{"data":7,"event":"identity"}""", cts.Token);
        Expect(connection, "7", cts.Token);
        Send(connection, WsFrames.Binary, """{"event":"identity","data":9}""", cts.Token);
        Expect(connection, "9", cts.Token);
        // Each of these is dropped: the next reply must be the one to the identity after them.
        Send(connection, WsFrames.Text, """{"event":"nope","data":1}""", cts.Token);
        Send(connection, WsFrames.Text, "not json", cts.Token);
        Send(connection, WsFrames.Text, "[1,2]", cts.Token);
        Send(connection, WsFrames.Text, """{"event":5,"data":1}""", cts.Token);
        Send(connection, WsFrames.Text, """{"event":"identity","data":11}""", cts.Token);
        Expect(connection, "11", cts.Token);
        connection.CloseAsync(TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
    }

    private static void Send(WsConnection connection, byte opcode, string message, CancellationToken cancellationToken) =>
        connection.SendAsync(opcode, Encoding.UTF8.GetBytes(message), cancellationToken).GetAwaiter().GetResult();

    private static void Expect(WsConnection connection, string expected, CancellationToken cancellationToken)
    {
        (byte opcode, byte[] payload) = connection.ReceiveMessageAsync(cancellationToken).GetAwaiter().GetResult();
        string actual = Encoding.UTF8.GetString(payload);
        if (opcode != WsFrames.Text || actual != expected)
        {
            throw new ProtocolException($"protocol check: expected the text frame {expected}, got {(opcode == WsFrames.Text ? "text" : "binary")} {actual}");
        }
    }
}
