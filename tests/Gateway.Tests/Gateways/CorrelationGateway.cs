namespace Gateway.Tests.Gateways;

/// <summary>Handlers whose replies arrive out of request order when messages run in parallel.</summary>
[WebSocketGateway("/correlation")]
public partial class CorrelationGateway
{
    [SubscribeMessage("after")]
    public async Task<int> After([MessageBody] int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }
}
