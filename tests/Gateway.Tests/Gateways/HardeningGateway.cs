namespace Gateway.Tests.Gateways;

/// <summary>Handlers for the connection-hardening tests: an echo, a slow handler and a large reply.</summary>
[WebSocketGateway("/hardening")]
public partial class HardeningGateway
{
    [SubscribeMessage("whoami")]
    public string WhoAmI(GatewayClient client) => client.Id;

    [SubscribeMessage("echo")]
    public string Echo([MessageBody] string text) => text;

    /// <summary>Answers after <paramref name="milliseconds"/>, or fails when the connection's token fires first.</summary>
    [SubscribeMessage("slow")]
    public async Task<int> Slow([MessageBody] int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }

    /// <summary>A reply of <paramref name="length"/> characters.</summary>
    [SubscribeMessage("big")]
    public string Big([MessageBody] int length) => new('b', length);
}
