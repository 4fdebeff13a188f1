using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Internal;

/// <summary>
/// Which handshakes may open a connection, by their <c>Origin</c> header: browsers send it and cannot forge it, so a
/// page of another site cannot use a user's cookies to open a connection as that user (cross-site WebSocket
/// hijacking). A handshake without <c>Origin</c> comes from a client that is not a browser and is allowed.
/// </summary>
internal static class OriginPolicy
{
    public const string AnyOrigin = "*";

    /// <summary>
    /// Whether the handshake's origin is allowed: none, the request's own (scheme, host and port), or one of
    /// <paramref name="allowedOrigins"/> (compared without case; <c>*</c> allows every origin).
    /// </summary>
    public static bool IsAllowed(HttpRequest request, IList<string> allowedOrigins)
    {
        string? origin = request.Headers[HeaderNames.Origin];
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (IsSameOrigin(request, origin))
        {
            return true;
        }

        foreach (string allowed in allowedOrigins)
        {
            if (allowed == AnyOrigin || string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameOrigin(HttpRequest request, string origin)
    {
        // "scheme://host[:port]" of the request, as a browser writes its page's origin; a WebSocket request's scheme
        // is that of the HTTP connection it upgrades (http or https).
        ReadOnlySpan<char> value = origin;
        string scheme = request.Scheme;
        return value.Length == scheme.Length + 3 + request.Host.Value!.Length
            && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && value[scheme.Length..].StartsWith("://", StringComparison.Ordinal)
            && value[(scheme.Length + 3)..].Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
