using System.Security.Claims;

namespace Gateway;

/// <summary>Maps a connection to the user it belongs to, for <see cref="IGatewayServer{TGateway}.User"/>.</summary>
public interface IGatewayUserIdProvider
{
    /// <summary>Returns the user id of <paramref name="client"/>, or <see langword="null"/> for an anonymous connection.</summary>
    string? GetUserId(GatewayClient client);
}

/// <summary>The default mapping: the <see cref="ClaimTypes.NameIdentifier"/> claim of the upgrade request's user.</summary>
internal sealed class NameIdentifierUserIdProvider : IGatewayUserIdProvider
{
    public string? GetUserId(GatewayClient client) => client.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
}
