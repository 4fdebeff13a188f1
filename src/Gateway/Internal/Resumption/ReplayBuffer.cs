using System.Buffers;

namespace Gateway.Internal.Resumption;

/// <summary>
/// The frames one resumable connection sent, numbered 1, 2, 3... in the order they went out, kept until the client
/// acknowledges them, so that a client that reconnects can be sent what it missed. Bounded by
/// <see cref="GatewayResumptionOptions.MaxBufferedBytes"/> (frames and their bookkeeping): over it the oldest frames go, and a client that had not
/// received them can no longer resume (which it is told). Not thread-safe: its owner serializes every call.
/// </summary>
/// <remarks>
/// Frames are copied end to end into pooled 4 KiB segments (a bigger frame gets one of its own), and a segment goes
/// back to the pool once none of its frames is kept: renting an array per frame would outrun the shared pool's
/// per-size stock for a busy connection, and allocate.
/// </remarks>
internal sealed class ReplayBuffer(int maxBytes)
{
    private const int SegmentSize = 4096;

    /// <summary>What keeping a frame costs beside its bytes (its entry), counted against the bound too.</summary>
    public const int EntryOverhead = 32;

    private readonly Queue<Entry> _entries = new();

    // The segments in use, oldest first; the last one is being written when it is _current.
    private readonly Queue<byte[]> _segments = new();
    private byte[]? _current;
    private int _written;
    private long _bytes;

    /// <summary>The number of the last frame added; 0 before any.</summary>
    public long Last { get; private set; }

    /// <summary>The number of the oldest frame still held (<see cref="Last"/> + 1 when none is).</summary>
    public long FirstRetained => _entries.TryPeek(out Entry oldest) ? oldest.Sequence : Last + 1;

    /// <summary>Whether frames a client had not acknowledged were dropped to stay within the bound.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Bytes of the frames held, <see cref="EntryOverhead"/> each included: what the bound bounds.</summary>
    public long Bytes => _bytes;

    /// <summary>Keeps a copy of <paramref name="frame"/> and returns its number.</summary>
    public long Add(ReadOnlySpan<byte> frame)
    {
        long sequence = ++Last;
        byte[] segment;
        int offset;
        if (frame.Length > SegmentSize)
        {
            segment = ArrayPool<byte>.Shared.Rent(frame.Length);
            _segments.Enqueue(segment);
            _current = null;
            offset = 0;
        }
        else
        {
            if (_current is null || SegmentSize - _written < frame.Length)
            {
                _current = ArrayPool<byte>.Shared.Rent(SegmentSize);
                _segments.Enqueue(_current);
                _written = 0;
            }

            segment = _current;
            offset = _written;
            _written += frame.Length;
        }

        frame.CopyTo(segment.AsSpan(offset));
        _entries.Enqueue(new Entry(sequence, segment, offset, frame.Length, Environment.TickCount64));
        _bytes += frame.Length + EntryOverhead;
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
                yield return entry.Segment.AsMemory(entry.Offset, entry.Length);
            }
        }
    }

    /// <summary>Returns every segment to the pool.</summary>
    public void Clear()
    {
        _entries.Clear();
        _bytes = 0;
        while (_segments.TryDequeue(out byte[]? segment))
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _current = null;
    }

    private void Drop()
    {
        Entry oldest = _entries.Dequeue();
        _bytes -= oldest.Length + EntryOverhead;
        // The segments before the one the oldest kept frame is in hold nothing any more; the one being written stays.
        byte[]? keep = _entries.TryPeek(out Entry next) ? next.Segment : _current;
        while (_segments.TryPeek(out byte[]? segment) && segment != keep)
        {
            ArrayPool<byte>.Shared.Return(_segments.Dequeue());
        }

        if (_entries.Count == 0 && _current is not null)
        {
            // Empty: the segment being written starts over.
            _written = 0;
        }
    }

    private readonly record struct Entry(long Sequence, byte[] Segment, int Offset, int Length, long SentAt);
}
