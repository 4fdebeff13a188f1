using System.Net;
using System.Text;

namespace Gateway.LoadTest;

/// <summary>
/// Plays the spec's transcript against a Nest-protocol server before it is measured, so that the hand-written
/// server is shown to speak the same protocol as the sample: exact reply bytes, dropped messages answer nothing.
/// </summary>
internal static class ProtocolCheck
{
    public static void Run(IPEndPoint endPoint, string path)
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
