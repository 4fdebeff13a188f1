using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Gateway.Redis.Tests.Infrastructure;

/// <summary>
/// The Redis the backplane tests run against: by default Microsoft Garnet (a Redis-compatible server) embedded in this
/// process on a free port; with <c>GATEWAY_TEST_REDIS=host:port</c> an external Redis (CI runs Debian's redis-server).
/// The variable only picks the server: no test is skipped either way.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "GATEWAY_TEST_REDIS";

    private GarnetServer? _garnet;

    private RedisServer(string endpoint, int port, bool embedded)
    {
        Endpoint = endpoint;
        Port = port;
        IsEmbedded = embedded;
    }

    /// <summary><c>host:port</c>.</summary>
    public string Endpoint { get; }

    public int Port { get; }

    public bool IsEmbedded { get; }

    /// <summary>The server named by <see cref="EnvironmentVariable"/>, or a new embedded Garnet.</summary>
    public static RedisServer FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external
            ? new RedisServer(external, 0, embedded: false)
            : StartEmbedded();

    /// <summary>A new embedded Garnet on a free port (tests that stop and restart the server use their own).</summary>
    public static RedisServer StartEmbedded()
    {
        int port = FreePort();
        var server = new RedisServer($"127.0.0.1:{port}", port, embedded: true);
        server.Start();
        return server;
    }

    /// <summary>A port nothing listens on, for "Redis down at start".</summary>
    public static RedisServer NotStarted()
    {
        int port = FreePort();
        return new RedisServer($"127.0.0.1:{port}", port, embedded: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts (or restarts, empty) the embedded server on its port.</summary>
    public void Start()
    {
        if (!IsEmbedded)
        {
            throw new InvalidOperationException("Only the embedded server can be started and stopped by a test.");
        }

        _garnet?.Dispose();
        _garnet = new GarnetServer(["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1"]);
        _garnet.Start();
    }

    /// <summary>Stops the embedded server: every connection to it drops.</summary>
    public void Stop()
    {
        _garnet?.Dispose();
        _garnet = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
