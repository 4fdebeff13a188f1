namespace Gateway;

/// <summary>Runs once per gateway when the application starts, before its first connection is accepted.</summary>
public interface IOnGatewayInit
{
    /// <summary>Called once at start-up.</summary>
    /// <param name="cancellationToken">Signalled when start-up is aborted.</param>
    ValueTask OnGatewayInitAsync(CancellationToken cancellationToken);
}
