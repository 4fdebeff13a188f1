using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Gateway.Internal.Protocol;
using Microsoft.AspNetCore.Http;

namespace Gateway.Internal.Resumption;

/// <summary>
/// The resumption extension of the NestJS ws protocol (docs/protocol-extensions.md): the query of the upgrade
/// request, the <c>gateway:session</c> announcement, and the client's <c>gateway:ack</c>.
/// </summary>
internal static class ResumptionWire
{
    /// <summary>The query parameter that asks for a resumable connection: <c>new</c>, or the token of one to resume.</summary>
    public const string ResumeParameter = "gw-resume";

    /// <summary>The query parameter with the number of the last frame the client received (with a token).</summary>
    public const string ReceivedParameter = "gw-received";

    public const string SessionEvent = "gateway:session";

    public static ReadOnlySpan<byte> AckEvent => "gateway:ack"u8;

    /// <summary>Whether the upgrade request asks for a resumable connection; <paramref name="token"/> when it asks to resume one.</summary>
    public static bool TryReadRequest(HttpRequest request, out string? token, out long received)
    {
        token = null;
        received = 0;
        string? resume = request.Query[ResumeParameter];
        if (string.IsNullOrEmpty(resume))
        {
            return false;
        }

        if (resume != "new")
        {
            token = resume;
            // A missing or malformed number claims nothing: the client is sent everything still kept.
            _ = long.TryParse(request.Query[ReceivedParameter], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out received);
        }

        return true;
    }

    /// <summary>Reads <c>{"event":"gateway:ack","data":N}</c> (or the array format's <c>["gateway:ack",N]</c>).</summary>
    public static bool TryReadAck(ReadOnlySpan<byte> message, WireProtocol protocol, out long sequence)
    {
        sequence = 0;
        Span<byte> scratch = stackalloc byte[WireProtocol.MaxEventNameLength];
        return protocol.Parse(message, scratch, out ReadOnlySpan<byte> eventName, out Range data, out _) is InboundStatus.Ok or InboundStatus.UnknownEvent
            && eventName.SequenceEqual(AckEvent)
            && Utf8Parser.TryParse(message[data], out sequence, out int consumed)
            && consumed == message[data].Length
            && sequence >= 0;
    }

    /// <summary>The <c>gateway:session</c> frame, in the path's message format.</summary>
    public static byte[] Announcement(WireProtocol protocol, string connectionId, string token, bool resumed, int replayed, long received, string? lost)
    {
        // Written by hand: a source-generated context for a record would bring reflection metadata into the runtime.
        var data = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(data))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, connectionId);
            writer.WriteString("token"u8, token);
            writer.WriteBoolean("resumed"u8, resumed);
            if (resumed)
            {
                writer.WriteNumber("replayed"u8, replayed);
                writer.WriteNumber("received"u8, received);
            }

            if (lost is not null)
            {
                writer.WriteString("lost"u8, lost);
            }

            writer.WriteEndObject();
        }

        using JsonDocument document = JsonDocument.Parse(data.WrittenMemory);
        SharedFrame frame = FrameSerializer.Serialize(
            new EventFrame<JsonElement>(SessionEvent, document.RootElement, GatewayJsonContext.Default.JsonElement), protocol);
        try
        {
            return frame.Memory.ToArray();
        }
        finally
        {
            frame.Release();
        }
    }
}

/// <summary>What a client that asked to resume is told, and the <c>gateway.resumption.outcome</c> tag.</summary>
internal static class ResumptionOutcome
{
    public const string Resumed = "resumed";

    /// <summary>The window passed before the client came back.</summary>
    public const string Expired = "expired";

    /// <summary>More was sent to the client while it was away than the buffer holds.</summary>
    public const string Overflow = "overflow";

    /// <summary>No such connection here: the server restarted, another node holds it, or it was closed for good.</summary>
    public const string Unknown = "unknown";
}
