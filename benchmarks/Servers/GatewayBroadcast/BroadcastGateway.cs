using Gateway;

namespace GatewayBroadcast;

/// <summary><c>identity</c> (for the harness's startup probe) and <c>broadcast</c>: a <c>tick</c> to every connection.</summary>
[WebSocketGateway]
public partial class BroadcastGateway(IGatewayServer<BroadcastGateway> server)
{
    [SubscribeMessage("identity")]
    public int Identity([MessageBody] int data) => data;

    /// <returns>How many connections the tick was sent to.</returns>
    [SubscribeMessage("broadcast")]
    public int Broadcast([MessageBody] long stamp) => server.All.Send("tick", stamp);
}
