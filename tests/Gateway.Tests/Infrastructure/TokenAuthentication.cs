using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real authentication scheme for the tests: the token <c>name:role1,role2[:lifetime ms]</c> signs in <c>name</c>
/// with those roles. Like SignalR's documented JWT pattern it is read from the <c>access_token</c> query parameter, because
/// browsers cannot set headers on a WebSocket handshake (and from <c>Authorization: Bearer</c> otherwise).
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = Request.Query["access_token"];
        string authorization = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(token) && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            token = authorization["Bearer ".Length..];
        }

        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string[] parts = token.Split(':');
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, parts[0]), new(ClaimTypes.Name, parts[0]) };
        if (parts.Length > 1)
        {
            claims.AddRange(parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(static role => new Claim(ClaimTypes.Role, role)));
        }

        // A third part is the token's lifetime in milliseconds, as a JWT's exp would give it.
        var properties = new AuthenticationProperties();
        if (parts.Length > 2)
        {
            properties.ExpiresUtc = DateTimeOffset.UtcNow.AddMilliseconds(int.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, properties, SchemeName)));
    }
}
