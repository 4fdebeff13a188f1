namespace Gateway.Tests.Gateways;

/// <summary>What the shutdown tests observe of handlers in flight.</summary>
public sealed class ShutdownProbe
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A handler that waits until its token fires, for graceful shutdown.</summary>
[WebSocketGateway("/shutdown")]
public partial class ShutdownGateway(ShutdownProbe probe)
{
    [SubscribeMessage("whoami")]
    public string WhoAmI(GatewayClient client) => client.Id;

    [SubscribeMessage("wait")]
    public async Task<string> Wait(CancellationToken cancellationToken)
    {
        probe.Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }
        catch (OperationCanceledException)
        {
            probe.Canceled.TrySetResult();
            throw;
        }
    }
}
