using System.Text.Json;

namespace Gateway.Internal.Protocol;

/// <summary>
/// A frame written into a connection's buffer while its send lock is held, in the connection's wire protocol.
/// Implemented by structs and passed as a constrained generic, so writing a frame allocates nothing.
/// </summary>
internal interface IOutboundFrame
{
    void Write(Utf8JsonWriter writer, WireProtocol protocol);
}
