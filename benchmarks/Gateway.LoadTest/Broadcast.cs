using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Gateway.LoadTest;

/// <summary>
/// The broadcast scenario (worker side): N idle connections, then one control connection asks the server to send
/// a <c>tick</c> carrying a number to every connection; measured from the send of the request until the last of
/// the N connections has its tick frame. Every connection must get exactly one tick per broadcast, with the right
/// number. The first broadcast is a cold one (the server's send path not yet compiled) and is reported apart.
/// </summary>
internal static class Broadcast
{

    public static WorkerResult Run(IPEndPoint endPoint, string path, ServerProtocol protocol, int count, int repeats)
    {
        var result = new WorkerResult { Kind = "broadcast", Connections = count, TicksPerSecond = Stopwatch.Frequency };
        var errors = new List<string>();
        var opening = Stopwatch.StartNew();
        WsConnection?[] open = IdleConnections.Open(endPoint, path, protocol, count, "connection", errors);
        result.OpenSeconds = opening.Elapsed.TotalSeconds;
        if (errors.Count > 0)
        {
            return Finish(result, errors, open, null);
        }

        using var setupControl = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        WsConnection control = WsConnection.ConnectAsync(endPoint, path, protocol, 64 * 1024, setupControl.Token).GetAwaiter().GetResult();
        Thread.Sleep(500);

        // Repetition 0 is the cold broadcast.
        for (int r = 0; r <= repeats && errors.Count == 0; r++)
        {
            // Distinct per broadcast, beyond the int range (the handlers take a long).
            long stamp = 5_000_000_000L + (r * 1_000_003L) + Random.Shared.Next(1000);
            byte[] expected = Encoding.UTF8.GetBytes(protocol == ServerProtocol.Nest
                ? $"{{\"event\":\"tick\",\"data\":{stamp}}}"
                : $"{{\"type\":1,\"target\":\"tick\",\"arguments\":[{stamp}]}}");
            long[] receivedAt = new long[count];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            // Every receive is pending before the request goes out.
            Task[] receivers = Enumerable.Range(0, count).Select(i => ReceiveTickAsync(open[i]!, protocol, expected, receivedAt, i, errors, timeout.Token)).ToArray();
            Task controlDone = ControlAsync(control, protocol, expected, r, stamp, count, errors, timeout.Token);
            Thread.Sleep(200);

            long sent = Stopwatch.GetTimestamp();
            byte[] request = Encoding.UTF8.GetBytes(protocol == ServerProtocol.Nest
                ? $"{{\"event\":\"broadcast\",\"data\":{stamp}}}"
                : $"{{\"type\":1,\"invocationId\":\"b{r}\",\"target\":\"Broadcast\",\"arguments\":[{stamp}]}}\u001e");
            control.SendAsync(WsFrames.Text, request, timeout.Token).GetAwaiter().GetResult();
            Task.WaitAll(receivers.Append(controlDone).ToArray(), TimeSpan.FromSeconds(70));
            if (errors.Count > 0)
            {
                break;
            }

            long last = receivedAt.Max();
            long first = receivedAt.Min();
            double lastMs = (last - sent) * 1000.0 / Stopwatch.Frequency;
            double firstMs = (first - sent) * 1000.0 / Stopwatch.Frequency;
            Console.Error.WriteLine($"broadcast {r}: first {firstMs:F2} ms, last {lastMs:F2} ms");
            if (r == 0)
            {
                result.ColdBroadcastMs = lastMs;
            }
            else
            {
                result.BroadcastMs.Add(lastMs);
                result.BroadcastFirstMs.Add(firstMs);
            }

            Thread.Sleep(300);
        }

        // Exactly one tick each: nothing else may have arrived since (SignalR pings aside).
        if (errors.Count == 0)
        {
            Thread.Sleep(500);
            using var extra = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (int i = 0; i < count; i++)
            {
                WsConnection connection = open[i]!;
                if (connection.Start == connection.End && connection.Socket.Available == 0)
                {
                    continue;
                }

                (byte _, byte[] payload) = connection.ReceiveMessageAsync(extra.Token).GetAwaiter().GetResult();
                if (protocol == ServerProtocol.Nest || !OnlyPings(payload))
                {
                    errors.Add($"connection {i}: an extra message {Show(payload)}");
                }
            }
        }

        return Finish(result, errors, open, control);
    }

    private static WorkerResult Finish(WorkerResult result, List<string> errors, WsConnection?[] open, WsConnection? control)
    {
        Task.WaitAll(open.Where(c => c is not null).Append(control).OfType<WsConnection>()
            .Select(c => c.CloseAsync(TimeSpan.FromSeconds(5))).ToArray(), TimeSpan.FromSeconds(15));
        foreach (WsConnection? connection in open)
        {
            connection?.Dispose();
        }

        control?.Dispose();
        lock (errors)
        {
            result.Errors = errors.Count;
            result.ErrorSamples = errors.Take(5).ToList();
        }

        return result;
    }

    private static async Task ReceiveTickAsync(
        WsConnection connection, ServerProtocol protocol, byte[] expected, long[] receivedAt, int index, List<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                (byte _, byte[] payload) = await connection.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
                long now = Stopwatch.GetTimestamp();
                if (protocol == ServerProtocol.SignalR && OnlyPings(payload))
                {
                    continue;
                }

                bool right = protocol == ServerProtocol.Nest
                    ? payload.AsSpan().SequenceEqual(expected)
                    : payload.Length == expected.Length + 1 && payload.AsSpan(0, expected.Length).SequenceEqual(expected) && payload[^1] == 0x1E;
                if (!right)
                {
                    throw new ProtocolException($"expected {Show(expected)}, got {Show(payload)}");
                }

                receivedAt[index] = now;
                return;
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ProtocolException or OperationCanceledException)
        {
            lock (errors)
            {
                errors.Add($"connection {index}: {ex.Message}");
            }
        }
    }

    /// <summary>The control connection gets the tick too (it is one of All) and the request's reply, in either order.</summary>
    private static async Task ControlAsync(
        WsConnection control, ServerProtocol protocol, byte[] expected, int repetition, long stamp, int count, List<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            bool tick = false;
            bool reply = false;
            while (!tick || !reply)
            {
                (byte _, byte[] payload) = await control.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
                if (protocol == ServerProtocol.Nest)
                {
                    if (!tick && payload.AsSpan().SequenceEqual(expected))
                    {
                        tick = true;
                    }
                    else if (!reply && payload.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes((count + 1).ToString(CultureInfo.InvariantCulture))))
                    {
                        // Broadcast returns how many connections the tick went to: the N and the control connection.
                        reply = true;
                    }
                    else
                    {
                        throw new ProtocolException($"control connection: unexpected {Show(payload)}");
                    }

                    continue;
                }

                foreach (string record in Encoding.UTF8.GetString(payload).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!tick && Encoding.UTF8.GetBytes(record).AsSpan().SequenceEqual(expected))
                    {
                        tick = true;
                    }
                    else if (!reply && record.StartsWith($"{{\"type\":3,\"invocationId\":\"b{repetition}\"", StringComparison.Ordinal) && !record.Contains("\"error\"", StringComparison.Ordinal))
                    {
                        reply = true;
                    }
                    else if (record != "{\"type\":6}")
                    {
                        throw new ProtocolException($"control connection: unexpected {record} (broadcast {stamp})");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ProtocolException or OperationCanceledException)
        {
            lock (errors)
            {
                errors.Add(ex.Message);
            }
        }
    }

    private static bool OnlyPings(byte[] payload) =>
        Encoding.UTF8.GetString(payload).Split('\u001e', StringSplitOptions.RemoveEmptyEntries).All(r => r == "{\"type\":6}");

    private static string Show(ReadOnlySpan<byte> payload) =>
        "'" + Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 200)]) + "'";
}
