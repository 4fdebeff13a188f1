using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Internal;

/// <summary>
/// Reads the headers of the frames a client sends as they pass from the upgraded connection to the WebSocket, so a
/// message that announces more than <see cref="GatewayOptions.MaxMessageSize"/> in a frame header is known to be too
/// big before its payload is read (RFC 6455 §5.2: the payload length comes first). The receive loop then closes with
/// 1009 after the first read of it instead of after reading the limit. Payload bytes are skipped, not looked at.
/// </summary>
internal sealed class MessageSizeGuard(Stream inner, long maxMessageSize) : Stream
{
    private readonly byte[] _header = new byte[14];
    private int _headerCount;
    private long _payloadRemaining;
    private long _messageLength;
    private int _tooBig;

    /// <summary>Whether a frame header announced a message larger than the limit.</summary>
    public bool TooBig => Volatile.Read(ref _tooBig) != 0;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask<int> read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            int count = read.Result;
            Inspect(buffer.Span[..count]);
            return new ValueTask<int>(count);
        }

        return AwaitReadAsync(read, buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = inner.Read(buffer);
        Inspect(buffer[..count]);
        return count;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // Pooled: a read that has to wait (every message of an idle connection) allocates nothing.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, Memory<byte> buffer)
    {
        int count = await read.ConfigureAwait(false);
        Inspect(buffer.Span[..count]);
        return count;
    }

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_payloadRemaining > 0)
            {
                int skip = (int)Math.Min(_payloadRemaining, bytes.Length);
                _payloadRemaining -= skip;
                bytes = bytes[skip..];
                continue;
            }

            // The common case: a whole header in this read, copied at once.
            if (_headerCount == 0 && bytes.Length >= 2 && bytes.Length >= HeaderLength(bytes[1]))
            {
                int length = HeaderLength(bytes[1]);
                bytes[..length].CopyTo(_header);
                bytes = bytes[length..];
                OnHeader();
                continue;
            }

            _header[_headerCount++] = bytes[0];
            bytes = bytes[1..];
            if (_headerCount < 2 || _headerCount < HeaderLength(_header[1]))
            {
                continue;
            }

            OnHeader();
            _headerCount = 0;
        }
    }

    /// <summary>2 bytes, the extended payload length (2 or 8), the masking key (4, always there from a client).</summary>
    private static int HeaderLength(byte second)
    {
        int length7 = second & 0x7F;
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
    }

    private void OnHeader()
    {
        int length7 = _header[1] & 0x7F;
        long payload = length7 switch
        {
            126 => (_header[2] << 8) | _header[3],
            127 => (long)(((ulong)_header[2] << 56) | ((ulong)_header[3] << 48) | ((ulong)_header[4] << 40) | ((ulong)_header[5] << 32)
                | ((ulong)_header[6] << 24) | ((ulong)_header[7] << 16) | ((ulong)_header[8] << 8) | _header[9]),
            _ => length7,
        };
        _payloadRemaining = payload < 0 ? long.MaxValue : payload;

        int opcode = _header[0] & 0x0F;
        if (opcode >= 0x8)
        {
            return; // control frames are no part of a message
        }

        _messageLength = opcode == 0 ? _messageLength + _payloadRemaining : _payloadRemaining;
        if (_messageLength > maxMessageSize)
        {
            Volatile.Write(ref _tooBig, 1);
        }

        if ((_header[0] & 0x80) != 0)
        {
            _messageLength = 0;
        }
    }

    /// <summary>
    /// Puts the guard between the upgraded connection and the WebSocket: replaces the request's upgrade feature
    /// before the WebSocket middleware captures it.
    /// </summary>
    internal sealed class UpgradeFeature(IHttpUpgradeFeature inner, long maxMessageSize) : IHttpUpgradeFeature
    {
        public MessageSizeGuard? Guard { get; private set; }

        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync()
        {
            Stream stream = await inner.UpgradeAsync().ConfigureAwait(false);
            return Guard = new MessageSizeGuard(stream, maxMessageSize);
        }
    }
}
