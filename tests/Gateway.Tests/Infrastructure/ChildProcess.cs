using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>Runs a real process (the sample server, Node) and captures its output.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _match = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, string?>? _matcher;

    private ChildProcess(Process process, Func<string, string?>? matcher)
    {
        _process = process;
        _matcher = matcher;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// On Linux a child's redirected output is read by blocking reads on thread-pool threads, two per child for its
    /// whole life; on a 2-core machine that is every thread the pool starts with, and it adds more only slowly (stalls
    /// of ~300 ms were measured), which the servers under test, in this process, would suffer. The pool starts with
    /// room for them instead.
    /// </summary>
    static ChildProcess()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 16), completionPorts);
    }

    public static string AssemblyMetadata(string key) =>
        typeof(ChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing.");

    /// <summary>Starts a process; <paramref name="matcher"/> picks a value out of an output line (e.g. a URL).</summary>
    public static ChildProcess Start(
        string fileName, IEnumerable<string> arguments, string workingDirectory, Func<string, string?>? matcher = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, matcher);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._match.TrySetException(new InvalidOperationException($"{fileName} exited early:\n{child.Output}"));
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task<string> WaitForMatchAsync() => await _match.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (_matcher?.Invoke(line) is { } value)
        {
            _match.TrySetResult(value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
