namespace Gateway.Tests.Gateways;

[WebSocketGateway("/shared")]
public partial class FirstSharedGateway
{
    [SubscribeMessage("a")]
    public string A() => "from first";
}

[WebSocketGateway("/shared")]
public partial class SecondSharedGateway
{
    [SubscribeMessage("b")]
    public string B() => "from second";
}
