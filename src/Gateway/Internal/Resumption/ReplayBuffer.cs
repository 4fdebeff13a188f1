using System.Buffers;

namespace Gateway.Internal.Resumption;

/// <summary>
/// The frames one resumable connection sent, numbered 1, 2, 3... in the order they went out, kept (in pooled arrays)
/// until the client acknowledges them, so that a client that reconnects can be sent what it missed. Bounded by
/// <see cref="GatewayResumptionOptions.MaxBufferedBytes"/>: over it the oldest frames go, and a client that had not
/// received them can no longer resume (which it is told). Not thread-safe: its owner serializes every call.
/// </summary>
internal sealed class ReplayBuffer(int maxBytes)
{
    private readonly Queue<Entry> _entries = new();
    private long _bytes;

    /// <summary>The number of the last frame added; 0 before any.</summary>
    public long Last { get; private set; }

    /// <summary>The number of the oldest frame still held (<see cref="Last"/> + 1 when none is).</summary>
    public long FirstRetained => _entries.TryPeek(out Entry oldest) ? oldest.Sequence : Last + 1;

    /// <summary>Whether frames a client had not acknowledged were dropped to stay within the bound.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Bytes held.</summary>
    public long Bytes => _bytes;

    /// <summary>Keeps a copy of <paramref name="frame"/> and returns its number.</summary>
    public long Add(ReadOnlySpan<byte> frame)
    {
        long sequence = ++Last;
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(frame.Length, 1));
        frame.CopyTo(copy);
        _entries.Enqueue(new Entry(sequence, copy, frame.Length, Environment.TickCount64));
        _bytes += frame.Length;
        while (_bytes > maxBytes && _entries.Count > 0)
        {
            Drop();
            Overflowed = true;
        }

        return sequence;
    }

    /// <summary>The client has every frame up to <paramref name="sequence"/>: they are let go.</summary>
    public void Acknowledge(long sequence)
    {
        while (_entries.TryPeek(out Entry oldest) && oldest.Sequence <= sequence)
        {
            Drop();
        }
    }

    /// <summary>Lets go the frames sent before <paramref name="tick"/> (<see cref="Environment.TickCount64"/>): the client has them.</summary>
    public void DropSentBefore(long tick)
    {
        while (_entries.TryPeek(out Entry oldest) && oldest.SentAt < tick)
        {
            Drop();
        }
    }

    /// <summary>
    /// Whether a client that received every frame up to <paramref name="sequence"/> can be sent the rest: none of
    /// them was dropped, and it does not claim frames that were never sent.
    /// </summary>
    public bool CanResumeAfter(long sequence) => sequence >= FirstRetained - 1 && sequence <= Last;

    /// <summary>The frames after <paramref name="sequence"/>, oldest first (check <see cref="CanResumeAfter"/> first).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> After(long sequence)
    {
        foreach (Entry entry in _entries)
        {
            if (entry.Sequence > sequence)
            {
                yield return entry.Array.AsMemory(0, entry.Length);
            }
        }
    }

    /// <summary>Returns every held array to the pool.</summary>
    public void Clear()
    {
        while (_entries.Count > 0)
        {
            Drop();
        }
    }

    private void Drop()
    {
        Entry oldest = _entries.Dequeue();
        _bytes -= oldest.Length;
        ArrayPool<byte>.Shared.Return(oldest.Array);
    }

    private readonly record struct Entry(long Sequence, byte[] Array, int Length, long SentAt);
}
