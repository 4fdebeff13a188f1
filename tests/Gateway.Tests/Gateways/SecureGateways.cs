using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Tests.Gateways;

/// <summary>Authenticated users only (checked at the handshake); two handlers with requirements of their own.</summary>
[WebSocketGateway("/secure")]
[Authorize]
public partial class SecureGateway
{
    [SubscribeMessage("whoami")]
    public string WhoAmI(ClaimsPrincipal user) => user.Identity?.Name ?? "nobody";

    [SubscribeMessage("admin")]
    [Authorize(Roles = "admin")]
    public string Admin() => "secret";

    [SubscribeMessage("staff")]
    [Authorize(Policy = "staff")]
    public string Staff([MessageBody] string question) => "staff answer to " + question;
}

/// <summary>Anyone connects; one handler is for members (authenticated users) only.</summary>
[WebSocketGateway("/lobby")]
public partial class LobbyGateway
{
    [SubscribeMessage("hello")]
    public string Hello() => "hi";

    [SubscribeMessage("members")]
    [Authorize]
    public string Members() => "members only";
}
