namespace Gateway.Tests.Library;

/// <summary>A gateway defined in a class library, reached only through the app's generated <c>AddGateways()</c>.</summary>
[WebSocketGateway("/library")]
public partial class LibraryGateway
{
    [SubscribeMessage("where")]
    public string Where([MessageBody] string who) => $"{who} is served by a library";
}
