namespace Gateway;

/// <summary>How clients write the messages they send (what NestJS's ws adapter calls its <c>messageParser</c>).</summary>
public enum GatewayMessageFormat
{
    /// <summary><c>{"event": "name", "data": ...}</c>, NestJS's default.</summary>
    Envelope,

    /// <summary>
    /// <c>["name", data]</c>: the event, then the data (optional), as with NestJS's
    /// <c>new WsAdapter(app, { messageParser: ([event, data]) =&gt; ({ event, data }) })</c>. Replies and pushes keep NestJS's
    /// frames; such messages carry no correlation id.
    /// </summary>
    Array,
}
