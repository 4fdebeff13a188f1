using System.Security.Claims;
using Gateway.Internal;
using Microsoft.AspNetCore.Http;

namespace Gateway;

/// <summary>
/// One message on its way to its handler, as guards, interceptors and exception filters see it (NestJS's
/// <c>ExecutionContext</c> switched to WebSockets, SignalR's <c>HubInvocationContext</c>).
/// </summary>
public sealed class GatewayInvocationContext
{
    private readonly GatewayBinding _binding;
    private readonly MessageScope _scope;

    internal GatewayInvocationContext(GatewayBinding binding, int handler, GatewayClient client, ReadOnlyMemory<byte> data, MessageScope scope)
    {
        _binding = binding;
        _scope = scope;
        Handler = handler;
        Client = client;
        Data = data;
    }

    /// <summary>The gateway instance whose handler runs.</summary>
    public object Gateway => _binding.Instance;

    /// <summary>The gateway's class name.</summary>
    public string GatewayName => _binding.Definition.Name;

    /// <summary>The event name the message was sent with (NestJS's <c>getPattern()</c>).</summary>
    public string Event => _binding.Definition.Events[Handler];

    /// <summary>The name of the handler method (NestJS's <c>getHandler().name</c>).</summary>
    public string HandlerName => _binding.Definition.HandlerNames[Handler];

    /// <summary>The connection the message arrived on.</summary>
    public GatewayClient Client { get; }

    /// <summary>The connection's authenticated user.</summary>
    public ClaimsPrincipal User => Client.User;

    /// <summary>The HTTP upgrade request of the connection.</summary>
    public HttpContext HttpContext => Client.HttpContext;

    /// <summary>
    /// The raw UTF-8 JSON of the message's <c>data</c> (empty when it had none); valid until the pipeline
    /// completes, as the receive buffer is reused after it.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The services of this message's DI scope, the same the handler's services come from.</summary>
    public IServiceProvider Services => _scope.Services;

    /// <summary>Signalled when the connection ends or the application stops.</summary>
    public CancellationToken ConnectionAborted => Client.HandlerAborted;

    internal int Handler { get; }

    internal GatewayBinding Binding => _binding;

    internal GatewayMessage Message => new(Client, Data, _scope);

    internal MessageScope Scope => _scope;
}
