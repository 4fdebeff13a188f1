using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Internal;
using Microsoft.AspNetCore.Http;

namespace Gateway;

/// <summary>
/// One WebSocket connection to a gateway path: its identity, its HTTP request, and the way to push frames to it.
/// Sends are safe from any thread; frames of concurrent senders never interleave.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore never allocates a wait handle and the writer holds only pooled buffers, which are returned after each send.")]
public sealed class GatewayClient
{
    private readonly WebSocket _socket;
    private readonly SendLock _sendLock = new();
    private readonly PooledBufferWriter _buffer = new();
    private Utf8JsonWriter? _writer;
    private Dictionary<object, object?>? _items;

    internal GatewayClient(WebSocket socket, HttpContext httpContext)
    {
        _socket = socket;
        HttpContext = httpContext;
        // Read once: every reply passes it, and the feature lookup behind HttpContext.RequestAborted is not free.
        ConnectionAborted = httpContext.RequestAborted;
        Id = NewId();
    }

    /// <summary>A unique, URL-safe identifier of this connection.</summary>
    public string Id { get; }

    /// <summary>The HTTP upgrade request of this connection.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The authenticated user of the upgrade request.</summary>
    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>Signalled when the connection ends.</summary>
    public CancellationToken ConnectionAborted { get; }

    /// <summary>Per-connection state that lives as long as the connection.</summary>
    public IDictionary<object, object?> Items => _items ??= [];

    /// <summary>Sends <c>{"event": event, "data": data}</c> to this client.</summary>
    /// <param name="event">The event name.</param>
    /// <param name="data">The payload.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public ValueTask SendAsync<T>(string @event, T data, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return SendFrameAsync(new EventFrame<T>(@event, data, typeInfo), cancellationToken);
    }

    /// <summary>Starts the close handshake with <paramref name="status"/>.</summary>
    /// <param name="status">The close status sent to the client.</param>
    /// <param name="description">An optional reason sent to the client.</param>
    /// <param name="cancellationToken">Cancels the close.</param>
    public async ValueTask CloseAsync(
        WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure,
        string? description = null,
        CancellationToken cancellationToken = default)
    {
        await _sendLock.EnterAsync().ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, description, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Exit();
        }
    }

    /// <summary>
    /// Writes the frame into the connection's buffer and sends it. The common case, an uncontended lock and a send
    /// that completes synchronously, runs without an async state machine.
    /// </summary>
    internal ValueTask SendFrameAsync<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        ValueTask enter = _sendLock.EnterAsync();
        if (!enter.IsCompletedSuccessfully)
        {
            return SendFrameAfterWaitAsync(enter, frame, cancellationToken);
        }

        ValueTask send;
        try
        {
            send = WriteAndSend(frame, cancellationToken);
        }
        catch
        {
            EndSend();
            throw;
        }

        if (send.IsCompletedSuccessfully)
        {
            EndSend();
            return default;
        }

        return AwaitSendAsync(send);
    }

    private async ValueTask SendFrameAfterWaitAsync<TFrame>(ValueTask enter, TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        await enter.ConfigureAwait(false);
        try
        {
            await WriteAndSend(frame, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndSend();
        }
    }

    private async ValueTask AwaitSendAsync(ValueTask send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        finally
        {
            EndSend();
        }
    }

    private ValueTask WriteAndSend<TFrame>(TFrame frame, CancellationToken cancellationToken)
        where TFrame : IOutboundFrame
    {
        cancellationToken.ThrowIfCancellationRequested();
        Utf8JsonWriter writer = RentWriter();
        frame.Write(writer);
        writer.Flush();
        return _socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private void EndSend()
    {
        _buffer.Clear();
        _sendLock.Exit();
    }

    private Utf8JsonWriter RentWriter()
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            _writer.Reset(_buffer);
        }

        return _writer;
    }

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
