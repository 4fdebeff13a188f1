using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Internal.SocketIO;

/// <summary>
/// What a session keeps of the HTTP request that opened it. A long-polling session outlives that request (Kestrel
/// recycles its <see cref="HttpContext"/>), so each Socket.IO connection gets an <see cref="HttpContext"/> of its own
/// built from this copy: user, headers, query, addresses, the authentication result and the request's activity.
/// </summary>
internal sealed class HandshakeSnapshot
{
    private readonly ClaimsPrincipal _user;
    private readonly HeaderDictionary _headers = [];
    private readonly QueryString _query;
    private readonly PathString _path;
    private readonly PathString _pathBase;
    private readonly string _scheme;
    private readonly HostString _host;
    private readonly IPAddress? _remoteIp;
    private readonly int _remotePort;
    private readonly IPAddress? _localIp;
    private readonly int _localPort;
    private readonly IAuthenticateResultFeature? _authentication;
    private readonly Activity? _activity;

    public HandshakeSnapshot(HttpContext context)
    {
        _user = context.User;
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in context.Request.Headers)
        {
            _headers[header.Key] = header.Value;
        }

        _query = context.Request.QueryString;
        _path = context.Request.Path;
        _pathBase = context.Request.PathBase;
        _scheme = context.Request.Scheme;
        _host = context.Request.Host;
        _remoteIp = context.Connection.RemoteIpAddress;
        _remotePort = context.Connection.RemotePort;
        _localIp = context.Connection.LocalIpAddress;
        _localPort = context.Connection.LocalPort;
        _authentication = context.Features.Get<IAuthenticateResultFeature>() is { AuthenticateResult: { } result }
            ? new AuthenticateResultFeature(result)
            : null;
        _activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
    }

    public IPAddress? RemoteIpAddress => _remoteIp;

    public int LocalPort => _localPort;

    public ClaimsPrincipal User => _user;

    /// <summary>A request context of one Socket.IO connection, aborted by <paramref name="aborted"/>.</summary>
    public HttpContext CreateContext(IServiceProvider services, CancellationToken aborted)
    {
        var context = new DefaultHttpContext { User = _user, RequestAborted = aborted, RequestServices = services };
        HttpRequest request = context.Request;
        request.Method = HttpMethods.Get;
        request.Scheme = _scheme;
        request.Host = _host;
        request.PathBase = _pathBase;
        request.Path = _path;
        request.QueryString = _query;
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in _headers)
        {
            request.Headers[header.Key] = header.Value;
        }

        context.Connection.RemoteIpAddress = _remoteIp;
        context.Connection.RemotePort = _remotePort;
        context.Connection.LocalIpAddress = _localIp;
        context.Connection.LocalPort = _localPort;
        if (_authentication is not null)
        {
            context.Features.Set(_authentication);
        }

        if (_activity is not null)
        {
            context.Features.Set<IHttpActivityFeature>(new ActivityFeature(_activity));
        }

        return context;
    }

    private sealed class AuthenticateResultFeature(AuthenticateResult result) : IAuthenticateResultFeature
    {
        public AuthenticateResult? AuthenticateResult { get; set; } = result;
    }

    private sealed class ActivityFeature(Activity activity) : IHttpActivityFeature
    {
        public Activity Activity { get; set; } = activity;
    }
}
