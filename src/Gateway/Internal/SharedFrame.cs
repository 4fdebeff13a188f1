using System.Buffers;

namespace Gateway.Internal;

/// <summary>
/// One serialized outbound frame shared by every recipient of a broadcast: the bytes are written once into a
/// pooled array, each recipient's queue holds a reference, and the array goes back to the pool when the last
/// reference is released.
/// </summary>
internal sealed class SharedFrame
{
    private byte[]? _array;
    private int _references = 1;

    private SharedFrame(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _array is { } array ? array.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(SharedFrame));

    /// <summary>Copies the written bytes into a pooled array; the caller holds the first reference.</summary>
    public static SharedFrame Create(ReadOnlySpan<byte> bytes)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, 1));
        bytes.CopyTo(array);
        return new SharedFrame(array, bytes.Length);
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
