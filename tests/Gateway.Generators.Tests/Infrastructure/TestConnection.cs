using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Generators.Tests.Infrastructure;

/// <summary>
/// A real <see cref="GatewayClient"/> over a server WebSocket that writes into memory, registered in a connection
/// registry of its own, so that tests can call generated send code and read back the text frames it sent. The runtime
/// builds both through internal constructors, reached here by reflection.
/// </summary>
internal sealed class TestConnection : IDisposable
{
    private static readonly Type s_registryType = typeof(GatewayClient).Assembly.GetType("Gateway.Internal.ConnectionRegistry", throwOnError: true)!;
    private static readonly Type s_metricsType = typeof(GatewayClient).Assembly.GetType("Gateway.Internal.GatewayMetrics", throwOnError: true)!;
    private static readonly Type s_protocolType = typeof(GatewayClient).Assembly.GetType("Gateway.Internal.Protocol.WireProtocol", throwOnError: true)!;
    private static readonly Type s_nestProtocolType = typeof(GatewayClient).Assembly.GetType("Gateway.Internal.Protocol.NestWsProtocol", throwOnError: true)!;

    private readonly Wire _wire = new();
    private readonly WebSocket _socket;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly object _registry;

    public TestConnection()
    {
        _socket = WebSocket.CreateFromStream(_wire, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        object protocol = (s_nestProtocolType.GetField("Instance") ?? throw new InvalidOperationException("NestWsProtocol has no Instance.")).GetValue(null)!;
        _registry = Construct(s_registryType, [typeof(IGatewayUserIdProvider), s_protocolType], [new AnonymousUsers(), protocol]);
        object metrics = Construct(s_metricsType, [typeof(System.Diagnostics.Metrics.IMeterFactory)], [_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()]);
        Client = (GatewayClient)Construct(
            typeof(GatewayClient),
            [typeof(WebSocket), typeof(HttpContext), typeof(GatewayOptions), s_registryType, s_metricsType, typeof(ILogger), typeof(CancellationToken), typeof(CancellationToken)],
            [_socket, new DefaultHttpContext(), new GatewayOptions(), _registry, metrics, NullLogger.Instance, CancellationToken.None, CancellationToken.None]);
        (s_registryType.GetMethod("Add") ?? throw new InvalidOperationException("ConnectionRegistry has no Add."))
            .Invoke(_registry, BindingFlags.DoNotWrapExceptions, binder: null, [Client], culture: null);
    }

    public GatewayClient Client { get; }

    /// <summary>Every connection of the registry, as <c>IGatewayServer.All</c> targets them.</summary>
    public GatewayTarget All
    {
        get
        {
            Type kind = typeof(GatewayTarget).GetNestedType("TargetKind", BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("GatewayTarget has no nested TargetKind.");
            return (GatewayTarget)Construct(
                typeof(GatewayTarget), [s_registryType, kind, typeof(string[])], [_registry, Enum.Parse(kind, "All"), Array.Empty<string>()]);
        }
    }

    /// <summary>The text messages sent so far, waiting up to five seconds for at least <paramref name="count"/>.</summary>
    public async Task<string[]> MessagesAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            string[] messages = _wire.Messages();
            if (messages.Length >= count || timeout.IsCancellationRequested)
            {
                return messages;
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _wire.Dispose();
        _services.Dispose();
    }

    private static object Construct(Type type, Type[] parameterTypes, object?[] arguments) =>
        (type.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, parameterTypes)
            ?? throw new InvalidOperationException($"{type} has no constructor ({string.Join(", ", parameterTypes.Select(static t => t.Name))})."))
        .Invoke(BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);

    private sealed class AnonymousUsers : IGatewayUserIdProvider
    {
        public string? GetUserId(GatewayClient client) => null;
    }

    /// <summary>A write-only stream that keeps what the socket writes; safe to read while a drain task writes.</summary>
    private sealed class Wire : Stream
    {
        private readonly List<byte> _bytes = [];
        private readonly Lock _lock = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>The payloads of the complete server frames written so far (unmasked, possibly fragmented).</summary>
        public string[] Messages()
        {
            byte[] data;
            lock (_lock)
            {
                data = [.. _bytes];
            }

            var messages = new List<string>();
            var current = new List<byte>();
            int i = 0;
            while (i + 2 <= data.Length)
            {
                bool fin = (data[i] & 0x80) != 0;
                int opcode = data[i] & 0x0F;
                Assert.True((data[i + 1] & 0x80) == 0, "A server frame is masked.");
                int length = data[i + 1] & 0x7F;
                i += 2;
                if ((length == 126 && i + 2 > data.Length) || (length == 127 && i + 8 > data.Length))
                {
                    break;
                }

                if (length == 126)
                {
                    length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i));
                    i += 2;
                }
                else if (length == 127)
                {
                    length = checked((int)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(i)));
                    i += 8;
                }

                if (i + length > data.Length)
                {
                    // A frame still being written: stop before it.
                    break;
                }

                Assert.True(opcode is 0 or 1, $"Unexpected frame opcode {opcode}.");
                current.AddRange(data.AsSpan(i, length));
                i += length;
                if (fin)
                {
                    messages.Add(Encoding.UTF8.GetString([.. current]));
                    current.Clear();
                }
            }

            return [.. messages];
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_lock)
            {
                _bytes.AddRange(buffer);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return default;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
