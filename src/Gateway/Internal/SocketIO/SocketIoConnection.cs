using System.Buffers;
using System.Text.Json;

using Gateway.Internal.Protocol;
using Gateway.Internal.Resumption;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// The Socket.IO side of one Engine.IO session: reads packets (a binary one once its attachments have arrived), and
/// runs one gateway connection per namespace the client connects to, as socket.io's <c>Client</c> does.
/// </summary>
/// <remarks>
/// A malformed packet, a packet for a namespace the client has not connected to, or a second CONNECT to the same
/// namespace closes the whole session, as the npm server does; an unknown namespace is refused with
/// <c>44/ns,{"message":"Invalid namespace"}</c>, and a session that connects to no namespace within
/// <see cref="SocketIOOptions.ConnectTimeout"/> is closed.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "OnClose disposes the timer, once per session.")]
internal sealed class SocketIoConnection : IEngineIoHandler
{
    private readonly SocketIoServer _server;
    private readonly Dictionary<string, SocketIoSocket> _sockets = new(StringComparer.Ordinal);
    private readonly Timer _connectTimeout;

    // A binary packet waiting for its attachments.
    private SocketIoPacket _binary;
    private byte[]? _binaryText;
    private List<byte[]>? _attachments;

    public SocketIoConnection(SocketIoServer server, EngineIoSession session)
    {
        _server = server;
        using (ExecutionContext.SuppressFlow())
        {
            _connectTimeout = new Timer(
                static s =>
                {
                    var (connection, engine) = ((SocketIoConnection, EngineIoSession))s!;
                    if (connection.SocketCount == 0)
                    {
                        engine.Close("connect timeout", byClient: false);
                    }
                },
                (this, session),
                server.Options.ConnectTimeout,
                Timeout.InfiniteTimeSpan);
        }
    }

    private int SocketCount
    {
        get
        {
            lock (_sockets)
            {
                return _sockets.Count;
            }
        }
    }

    public async ValueTask OnMessageAsync(EngineIoSession session, ReadOnlyMemory<byte> message, bool binary)
    {
        if (binary)
        {
            if (_binaryText is null)
            {
                throw new EngineIoProtocolException("Binary data outside a binary packet.");
            }

            _attachments!.Add(message.ToArray());
            if (_attachments.Count == _binary.Attachments)
            {
                byte[] text = _binaryText;
                List<byte[]> attachments = _attachments;
                _binaryText = null;
                _attachments = null;
                await HandleAsync(session, _binary, text, attachments).ConfigureAwait(false);
            }

            return;
        }

        if (_binaryText is not null)
        {
            throw new EngineIoProtocolException("A packet before the attachments of a binary packet.");
        }

        SocketIoPacket packet = SocketIoPacket.Parse(message.Span);
        packet.Validate(message.Span[packet.PayloadStart..]);
        if (packet.Type is SocketIoPacket.BinaryEvent or SocketIoPacket.BinaryAck && packet.Attachments > 0)
        {
            _binary = packet;
            _binaryText = message.ToArray();
            _attachments = new List<byte[]>(packet.Attachments);
            return;
        }

        await HandleAsync(session, packet, message, null).ConfigureAwait(false);
    }

    private async ValueTask HandleAsync(EngineIoSession session, SocketIoPacket packet, ReadOnlyMemory<byte> text, List<byte[]>? attachments)
    {
        ReadOnlyMemory<byte> payload = text[packet.PayloadStart..];
        SocketIoSocket? socket;
        lock (_sockets)
        {
            _sockets.TryGetValue(packet.Namespace, out socket);
        }

        if (packet.Type == SocketIoPacket.Connect)
        {
            if (socket is not null)
            {
                throw new EngineIoProtocolException("A second CONNECT to a namespace.");
            }

            await ConnectAsync(session, packet.Namespace, payload).ConfigureAwait(false);
            return;
        }

        if (socket is null)
        {
            // socket.io's Client: a packet for a namespace the client is not in ends the connection ("invalid state").
            throw new EngineIoProtocolException("A packet for a namespace the client has not connected to.");
        }

        switch (packet.Type)
        {
            case SocketIoPacket.Disconnect:
                Remove(socket);
                socket.ClientDisconnected();
                break;
            case SocketIoPacket.Event:
            case SocketIoPacket.BinaryEvent:
                var normalized = new PooledBufferWriter();
                try
                {
                    SocketIoPacket.WriteEvent(payload.Span, packet.AckId, attachments, normalized);
                    byte[] array = ArrayPool<byte>.Shared.Rent(Math.Max(normalized.WrittenSpan.Length, 1));
                    normalized.WrittenSpan.CopyTo(array);
                    await socket.DeliverAsync(array, normalized.WrittenSpan.Length).ConfigureAwait(false);
                }
                finally
                {
                    normalized.Clear();
                }

                break;
            case SocketIoPacket.Ack:
            case SocketIoPacket.BinaryAck:
                if (packet.HasAck)
                {
                    socket.Acknowledged(packet.AckId, SocketIoPacket.ArgumentsOf(payload.Span, attachments));
                }

                break;
        }
    }

    private async ValueTask ConnectAsync(EngineIoSession session, string @namespace, ReadOnlyMemory<byte> auth)
    {
        SocketIoNamespace? target = _server.Find(@namespace);
        if (target is null)
        {
            await session.SendAsync(SocketIoProtocol.ConnectErrorPacket(@namespace, "Invalid namespace"), session.Closed).ConfigureAwait(false);
            return;
        }

        JsonElement authElement = auth.IsEmpty ? default : ParseAuth(auth);
        if (target.Away is { } away && SocketIoRecovery.TryReadAuth(authElement, out string pid, out long offset))
        {
            if (!SocketIoRecovery.TryTake(away, pid, out SocketIoSocket? recovered))
            {
                // The window passed, the server restarted, or the pid is not one of this namespace's.
                target.Recovered(ResumptionOutcome.Unknown);
            }
            else
            {
                // Registered first, so that what the client sends after the answer reaches the connection.
                lock (_sockets)
                {
                    _sockets[@namespace] = recovered!;
                }

                if (await recovered!.TryRecoverAsync(session, this, offset).ConfigureAwait(false))
                {
                    _connectTimeout.Dispose();
                    target.Recovered(ResumptionOutcome.Resumed);
                    return;
                }

                Remove(recovered);
                target.Recovered(ResumptionOutcome.Overflow);
            }
        }

        SocketIoRecovery? recovery = target.Away is { } table
            ? new SocketIoRecovery(table, target.Resumption, _server.Options.PingInterval + _server.Options.PingTimeout)
            : null;
        var socket = new SocketIoSocket(session, target.Protocol, authElement, recovery) { AckTimeout = _server.Options.AckTimeout, Owner = this };
        lock (_sockets)
        {
            _sockets[@namespace] = socket;
        }

        // Connected: the connect timeout has done its job (a connection that later leaves keeps its session, as in socket.io).
        _connectTimeout.Dispose();

        _ = RunAsync(target, socket);
    }

    private static JsonElement ParseAuth(ReadOnlyMemory<byte> auth)
    {
        using JsonDocument document = JsonDocument.Parse(auth);
        return document.RootElement.Clone();
    }

    private async Task RunAsync(SocketIoNamespace target, SocketIoSocket socket)
    {
        try
        {
            await target.RunAsync(socket).ConfigureAwait(false);
        }
        finally
        {
            // A recovered connection belongs to the session it came back on.
            SocketIoConnection owner = socket.Owner ?? this;
            owner.Remove(socket);
            socket.Dispose();
            // Shutting down, the session ends with its last connection (after that connection's DISCONNECT).
            if (_server.ApplicationStopping.IsCancellationRequested && owner.SocketCount == 0)
            {
                socket.Session.Close("server shutting down", byClient: false);
            }
        }
    }

    private void Remove(SocketIoSocket socket)
    {
        lock (_sockets)
        {
            if (_sockets.TryGetValue(socket.Namespace, out SocketIoSocket? current) && current == socket)
            {
                _sockets.Remove(socket.Namespace);
            }
        }
    }

    /// <summary>Whether the session has no namespace connection (so nothing says goodbye for it at shutdown).</summary>
    public bool IsIdle => SocketCount == 0;

    public void OnClose(EngineIoSession session, string reason)
    {
        _connectTimeout.Dispose();
        SocketIoSocket[] sockets;
        lock (_sockets)
        {
            sockets = [.. _sockets.Values];
            _sockets.Clear();
        }

        foreach (SocketIoSocket socket in sockets)
        {
            socket.SessionClosed(reason);
        }
    }
}
