namespace Gateway.Tests.Gateways;

/// <summary>A handler any message limit applies to, and one with a policy of its own.</summary>
[WebSocketGateway("/limited")]
public partial class RateLimitedGateway
{
    [SubscribeMessage("free")]
    public string Free() => "ok";

    [SubscribeMessage("chat")]
    [RateLimit("chat")]
    public string Chat([MessageBody] string text) => text;
}
