using System.Text.Json;

namespace Gateway.Internal;

/// <summary>
/// A frame written into a connection's buffer while its send lock is held. Implemented by structs and passed as
/// a constrained generic, so writing a frame allocates nothing.
/// </summary>
internal interface IOutboundFrame
{
    void Write(Utf8JsonWriter writer);
}
