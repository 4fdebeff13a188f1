using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Internal;

/// <summary>
/// The per-message authorization of one gateway's handlers: the policy each handler's <c>[Authorize]</c> attributes
/// combine to, built once at start-up, and the application's <see cref="IAuthorizationService"/> that checks the
/// connection's user against it (the connection is the resource, for resource-based handlers).
/// </summary>
internal sealed class HandlerAuthorization(IAuthorizationService service, AuthorizationPolicy?[] policies)
{
    /// <summary>The policy of handler <paramref name="handler"/>, or null when anyone may call it.</summary>
    public AuthorizationPolicy? PolicyOf(int handler) => policies[handler];

    public Task<AuthorizationResult> AuthorizeAsync(GatewayClient client, AuthorizationPolicy policy) =>
        service.AuthorizeAsync(client.User, client, policy);

    /// <summary>Combines each handler's attributes into a policy; null when no handler has any.</summary>
    public static async Task<HandlerAuthorization?> ResolveAsync(GatewayDefinition definition, IServiceProvider services)
    {
        if (definition.HandlerAuthorization is not { } perHandler)
        {
            return null;
        }

        IAuthorizationPolicyProvider? provider = services.GetService<IAuthorizationPolicyProvider>();
        IAuthorizationService? service = services.GetService<IAuthorizationService>();
        if (provider is null || service is null)
        {
            throw new InvalidOperationException(
                $"{definition.Name} has handlers with [Authorize], but authorization is not set up: call builder.Services.AddAuthorization().");
        }

        var policies = new AuthorizationPolicy?[perHandler.Length];
        for (int i = 0; i < perHandler.Length; i++)
        {
            if (perHandler[i] is { } attributes && !attributes.OfType<IAllowAnonymous>().Any())
            {
                policies[i] = await AuthorizationPolicy.CombineAsync(provider, attributes.OfType<IAuthorizeData>()).ConfigureAwait(false);
            }
        }

        return new HandlerAuthorization(service, policies);
    }
}
