using System.Buffers;

namespace Gateway.Internal;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over <see cref="ArrayPool{T}.Shared"/>. <see cref="Clear"/> keeps a small
/// array for the next frame (renting per frame cost a tenth of a reply) and returns anything larger, so one big
/// frame does not pin memory for the rest of a connection.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 256;
    private const int MaximumRetainedSize = 1024;
    private byte[]? _array;
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _array is null ? default : _array.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _array is null ? default : _array.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_array is null || _written + count > _array.Length)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Clear()
    {
        _written = 0;
        if (_array is { Length: > MaximumRetainedSize } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_array is null)
        {
            _array = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumSize));
            return;
        }

        if (_array.Length - _written >= needed)
        {
            return;
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_array.Length * 2, _written + needed)));
        _array.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
