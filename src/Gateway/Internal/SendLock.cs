namespace Gateway.Internal;

/// <summary>
/// The mutual exclusion of a connection's sends. Uncontended, entering and leaving are one interlocked operation
/// each (a <see cref="SemaphoreSlim"/> takes a monitor twice, which was half the per-message cost of replies);
/// under contention, waiters queue on a semaphore and the holder hands the lock to one of them.
/// </summary>
internal sealed class SendLock : IDisposable
{
    private readonly SemaphoreSlim _handoff = new(0);

    // Holders plus waiters: 0 when free, 1 when held, more when others wait.
    private int _count;

    /// <summary>Enters the lock; completes synchronously when it was free.</summary>
    /// <remarks>
    /// Waiting is not cancellable: a waiter that left after being counted would strand the handoff. The holder's
    /// own send is cancellable, so every wait ends.
    /// </remarks>
    public ValueTask EnterAsync() =>
        Interlocked.Increment(ref _count) == 1 ? ValueTask.CompletedTask : new ValueTask(_handoff.WaitAsync());

    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) > 0)
        {
            _handoff.Release();
        }
    }

    public void Dispose() => _handoff.Dispose();
}
