using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.LoadTest;

/// <summary>A server under test: how to start it and what it speaks.</summary>
/// <param name="Key">Short name on the command line.</param>
/// <param name="Name">Name in the report.</param>
/// <param name="Command">Program and leading arguments (<c>dotnet x.dll</c>, <c>node server.mjs</c>, or a native binary).</param>
/// <param name="Protocol">What it speaks over its WebSocket.</param>
/// <param name="Path">Its WebSocket path.</param>
/// <param name="LoadScenarios">Whether the load scenarios run against it (the AOT binary only gets startup and memory).</param>
internal sealed record ServerSpec(string Key, string Name, IReadOnlyList<string> Command, ServerProtocol Protocol, string Path, bool LoadScenarios);

/// <summary>A running server child process (pinned with taskset when asked), its output kept for diagnostics.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static ServerProcess Start(ServerSpec spec, int port, int? core)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (core is int c)
        {
            // taskset execs the server: the child's pid is the server's.
            start.FileName = "taskset";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(spec.Command[0]);
        }
        else
        {
            start.FileName = spec.Command[0];
        }

        foreach (string argument in spec.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // Servers run with default settings: nothing of the load generator's tuning leaks into them.
        start.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_URLS");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {spec.Name}"), port);
    }

    /// <summary>
    /// Polls until the server answers an identity request; the time since <paramref name="started"/> is its startup.
    /// </summary>
    public TimeSpan WaitUntilAnswering(ServerSpec spec, long started, TimeSpan timeout)
    {
        long deadline = started + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{spec.Name} exited with code {_process.ExitCode} during startup:\n{Output}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"{spec.Name} did not answer within {timeout.TotalSeconds} s:\n{Output}");
            }

            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(EndPoint);
            }
            catch (SocketException)
            {
                // Not listening yet: try again at once (the poller runs on the other core).
                socket.Dispose();
                Thread.SpinWait(2000);
                continue;
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using WsConnection connection = WsConnection.OpenAsync(socket, EndPoint, spec.Path, spec.Protocol, 4096, cts.Token)
                .GetAwaiter().GetResult();
            connection.IdentityAsync(spec.Protocol, 42, cts.Token).GetAwaiter().GetResult();
            return Stopwatch.GetElapsedTime(started);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    /// <summary>A free loopback port (bound and released; the server binds it right after).</summary>
    public static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }
}
