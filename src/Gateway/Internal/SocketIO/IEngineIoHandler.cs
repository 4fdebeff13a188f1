namespace Gateway.Internal.SocketIO;

/// <summary>What an Engine.IO session hands its messages to: the Socket.IO layer (or, in tests, an echo).</summary>
internal interface IEngineIoHandler
{
    /// <summary>
    /// A message packet: the text after the <c>4</c>, or a binary message. Throwing <see cref="EngineIoProtocolException"/>
    /// closes the session as a parse error, as the npm server does with a malformed packet.
    /// </summary>
    ValueTask OnMessageAsync(EngineIoSession session, ReadOnlyMemory<byte> message, bool binary);

    /// <summary>The session has closed (<paramref name="reason"/> as Engine.IO names it); called once.</summary>
    void OnClose(EngineIoSession session, string reason);
}

/// <summary>A packet the protocol does not allow; the session that received it is closed, nothing is logged above Debug.</summary>
internal sealed class EngineIoProtocolException(string message) : Exception(message);
