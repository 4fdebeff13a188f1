namespace Gateway.Tests.Gateways;

[WebSocketGateway("/limits")]
public partial class LimitsGateway
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [SubscribeMessage("length")]
    public int Length([MessageBody] string data) => data.Length;

    [SubscribeMessage("identity")]
    public int Identity([MessageBody] int data) => data;

    /// <summary>Waits until "release" arrives: completes only when messages run in parallel.</summary>
    [SubscribeMessage("wait")]
    public async Task<string> Wait()
    {
        await _gate.Task;
        _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return "waited";
    }

    [SubscribeMessage("release")]
    public string Release()
    {
        _gate.TrySetResult();
        return "released";
    }
}
