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

/// <summary>Shares "/kinds" with <see cref="ReturnKindsGateway"/>: a request that is answered only when the connection ends.</summary>
[WebSocketGateway("/kinds")]
public partial class NeverAnswersGateway
{
    [SubscribeMessage("never")]
    public async Task<int> Never(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}
