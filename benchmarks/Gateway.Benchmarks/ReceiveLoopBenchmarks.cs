using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Benchmarks;

/// <summary>
/// Per-message cost of a whole connection's receive loop, receive to reply: the endpoint that <c>MapGateways</c> maps,
/// run over a real server-side <c>ManagedWebSocket</c> (<see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>,
/// what Kestrel's <c>AcceptWebSocketAsync</c> returns) whose stream holds <see cref="Messages"/> masked client frames
/// and a close frame, beside a hand-written loop on the same stream (the load harness's hand-written server: a pooled
/// buffer, one receive per message, <see cref="HandWrittenDispatcher"/>), and that loop with a zero-byte wait before
/// each message and the buffer rented after it (what <c>GatewayConnection</c> did before).
/// Every read completes at once, as when a busy connection finds its next frames already buffered (64×16). The
/// connection's one-time costs are spread over the messages. <see cref="Gateway_Resumable"/>: the same loop for a client
/// that asked for a resumable connection (GatewayOptions.Resumption) and never acknowledges, the worst case: every
/// reply is also copied into the replay buffer, which stays full and drops its oldest frame each time.
/// </summary>
[MemoryDiagnoser]
public class ReceiveLoopBenchmarks
{
    public const int Messages = 10_000;

    private WebApplication _app = null!;
    private RequestDelegate _gateway = null!;
    private WebApplication _resumableApp = null!;
    private RequestDelegate _resumableGateway = null!;
    private FrameStream _stream = null!;
    private byte[] _frames = null!;

    [GlobalSetup]
    public void Setup()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGateways();
        _app = builder.Build();
        _app.MapGateways();
        _gateway = ((IEndpointRouteBuilder)_app).DataSources.SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>().Single().RequestDelegate!;
        (_resumableApp, _resumableGateway) = Build(resumption: true);
        _frames = ClientFrames(Messages);
        _stream = new FrameStream(_frames);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _resumableApp.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static (WebApplication App, RequestDelegate Endpoint) Build(bool resumption)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGateways(o => o.Resumption.Enabled = resumption);
        WebApplication app = builder.Build();
        app.MapGateways();
        RequestDelegate endpoint = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>().Single().RequestDelegate!;
        return (app, endpoint);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public Task HandWritten() => RunAsync(context => HandWrittenLoopAsync(context, zeroByteWait: false));

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task HandWritten_ZeroByteWait() => RunAsync(context => HandWrittenLoopAsync(context, zeroByteWait: true));

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Gateway() => RunAsync(_gateway);

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Gateway_Resumable() => RunAsync(_resumableGateway, "?gw-resume=new", announcements: 1);

    private async Task RunAsync(RequestDelegate endpoint, string query = "", int announcements = 0)
    {
        _stream.Reset();
        // Kestrel's RequestAborted can be canceled: every receive and send registers with it, for both servers.
        using var aborted = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestServices = _app.Services, RequestAborted = aborted.Token };
        context.Request.QueryString = new QueryString(query.Length > 0 ? query : null);
        context.Features.Set<IHttpWebSocketFeature>(new StreamWebSocketFeature(_stream));
        await endpoint(context);
        if (_stream.Replies != Messages + 1 + announcements)
        {
            throw new InvalidOperationException($"expected {Messages} replies and a close frame, the server wrote {_stream.Replies} times");
        }
    }

    /// <summary>The hand-written server's loop; with <paramref name="zeroByteWait"/>, idle between messages without a buffer.</summary>
    private static async Task HandWrittenLoopAsync(HttpContext context, bool zeroByteWait)
    {
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        // Like the hand-written server (and Gateway): receives and sends take the request's abort token.
        CancellationToken aborted = context.RequestAborted;
        var dispatcher = new HandWrittenDispatcher(socket, aborted);
        byte[]? buffer = zeroByteWait ? null : ArrayPool<byte>.Shared.Rent(4096);
        int count = 0;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    ValueWebSocketReceiveResult waited = await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
                    if (waited.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
                        return;
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(4096);
                }

                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                await dispatcher.HandleAsync(buffer.AsMemory(0, count));
                count = 0;
                if (zeroByteWait)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Masked <c>{"event":"identity","data":n}</c> text frames, then a masked close frame (1000).</summary>
    private static byte[] ClientFrames(int count)
    {
        var frames = new ArrayBufferWriter<byte>(count * 40);
        var random = new Random(7);
        Span<byte> payload = stackalloc byte[64];
        for (int i = 0; i < count; i++)
        {
            int length = 0;
            "{\"event\":\"identity\",\"data\":"u8.CopyTo(payload);
            length += 27;
            Utf8Formatter.TryFormat(random.Next(), payload[length..], out int written);
            length += written;
            payload[length++] = (byte)'}';
            WriteFrame(frames, 0x1, payload[..length], (uint)random.Next());
        }

        Span<byte> close = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(close, 1000);
        WriteFrame(frames, 0x8, close, (uint)random.Next());
        return frames.WrittenSpan.ToArray();
    }

    private static void WriteFrame(ArrayBufferWriter<byte> destination, byte opcode, ReadOnlySpan<byte> payload, uint mask)
    {
        Span<byte> frame = destination.GetSpan(6 + payload.Length);
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[2..], mask);
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ (byte)(mask >> (8 * (i & 3))));
        }

        destination.Advance(6 + payload.Length);
    }

    /// <summary>Accepts the upgrade with a server-side managed WebSocket over the frame stream.</summary>
    private sealed class StreamWebSocketFeature(Stream stream) : IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => true;

        public Task<WebSocket> AcceptAsync(WebSocketAcceptContext context) =>
            Task.FromResult(WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = context.KeepAliveInterval ?? TimeSpan.FromSeconds(30),
            }));
    }

    /// <summary>Reads the prepared frames (every read completes at once); counts and discards what the server writes.</summary>
    private sealed class FrameStream(byte[] frames) : Stream
    {
        private int _position;

        public int Replies { get; private set; }

        public void Reset()
        {
            _position = 0;
            Replies = 0;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            int count = Math.Min(buffer.Length, frames.Length - _position);
            frames.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Write(ReadOnlySpan<byte> buffer) => Replies++;

        public override void Write(byte[] buffer, int offset, int count) => Replies++;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Replies++;
            return default;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Replies++;
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
