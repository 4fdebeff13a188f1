using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Tests.Gateways;

/// <summary>
/// Counts the <see cref="ScopedProbe"/>s created and disposed, and lets parallel handlers meet: a handler that
/// waits at the rendezvous returns only once the expected number of handlers are inside it at the same time.
/// </summary>
public sealed class ProbeLog
{
    private int _created;
    private int _disposed;
    private int _arrived;
    private TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Created => Volatile.Read(ref _created);

    public int Disposed => Volatile.Read(ref _disposed);

    public int Expected { get; set; } = 2;

    internal int OnCreated() => Interlocked.Increment(ref _created);

    internal void OnDisposed() => Interlocked.Increment(ref _disposed);

    public Task ArriveAsync()
    {
        if (Interlocked.Increment(ref _arrived) == Expected)
        {
            _allArrived.TrySetResult();
        }

        return _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

/// <summary>A scoped service (think DbContext) that is disposed asynchronously with its scope.</summary>
public sealed class ScopedProbe(ProbeLog log) : IAsyncDisposable
{
    public int Id { get; } = log.OnCreated();

    public bool IsDisposed { get; private set; }

    // Only IAsyncDisposable: a scope disposed synchronously would throw for it.
    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        log.OnDisposed();
        return default;
    }
}

public sealed class SingletonProbe
{
    private static int s_next;

    public int Id { get; } = Interlocked.Increment(ref s_next);
}

[WebSocketGateway("/scopes")]
public partial class ScopesGateway
{
    /// <summary>The probe's id, or -1 when two parameters of one message got different instances.</summary>
    [SubscribeMessage("scoped")]
    public int Scoped([FromServices] ScopedProbe probe, [FromServices] ScopedProbe again) => ReferenceEquals(probe, again) && !probe.IsDisposed ? probe.Id : -1;

    /// <summary>[created, disposed] so far; resolves a singleton only.</summary>
    [SubscribeMessage("probes")]
    public int[] Probes([FromServices] ProbeLog log) => [log.Created, log.Disposed];

    [SubscribeMessage("singleton")]
    public int Singleton([FromServices] SingletonProbe singleton) => singleton.Id;

    [SubscribeMessage("later")]
    public async Task<int> Later([FromServices] ScopedProbe probe)
    {
        await Task.Yield();
        return probe.IsDisposed ? -1 : probe.Id;
    }

    /// <summary>Returns once <see cref="ProbeLog.Expected"/> handlers wait here at the same time.</summary>
    [SubscribeMessage("meet")]
    public async Task<int> Meet([FromServices] ScopedProbe probe, [FromServices] ProbeLog log)
    {
        await log.ArriveAsync();
        return probe.IsDisposed ? -1 : probe.Id;
    }

    [SubscribeMessage("stream")]
    public async IAsyncEnumerable<int> Stream([FromServices] ScopedProbe probe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return probe.Id;
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return probe.IsDisposed ? -1 : probe.Id;
    }

    [SubscribeMessage("throw")]
    public int Throw([FromServices] ScopedProbe probe) => throw new WsException($"probe {probe.Id}");

    [SubscribeMessage("throwLater")]
    public async Task<int> ThrowLater([FromServices] ScopedProbe probe)
    {
        await Task.Yield();
        throw new InvalidOperationException($"probe {probe.Id}");
    }
}
