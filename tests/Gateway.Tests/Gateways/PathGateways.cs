using Microsoft.AspNetCore.Mvc;

namespace Gateway.Tests.Gateways;

/// <summary>A gateway whose path has a route parameter, bound by handlers as a string and as a number.</summary>
[WebSocketGateway("/rooms/{roomId}/socket")]
public partial class RoomGateway
{
    [SubscribeMessage("where")]
    public string Where([FromRoute] string roomId) => roomId;

    [SubscribeMessage("number")]
    public int Number([FromRoute(Name = "roomId")] int id) => id + 1;
}

/// <summary>
/// Served on port 24871 only (NestJS's <c>@WebSocketGateway(24871, { path })</c>). The test ports lie below Linux's
/// ephemeral range (32768–60999), so no outgoing connection of another test can be holding them.
/// </summary>
[WebSocketGateway(24871, "/game")]
public partial class EastGameGateway
{
    [SubscribeMessage("move")]
    public string Move() => "east";
}

/// <summary>The same path and event on another port: each port has its own handler.</summary>
[WebSocketGateway(24872, "/game")]
public partial class WestGameGateway
{
    [SubscribeMessage("move")]
    public string Move() => "west";
}
