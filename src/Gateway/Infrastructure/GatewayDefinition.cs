using System.ComponentModel;
using Gateway.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Infrastructure;

/// <summary>
/// What the generator knows about one gateway: its path, its events and a dispatch table keyed on the UTF-8
/// bytes of the event name. Generated code derives from <see cref="GatewayDefinition{TGateway}"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GatewayDefinition
{
    private protected GatewayDefinition(string name, string path, string[] events, string?[]? rateLimitPolicies)
    {
        Name = name;
        Path = path;
        Events = events;
        RateLimitPolicies = rateLimitPolicies;
    }

    /// <summary>The gateway's class name, for logs and errors.</summary>
    public string Name { get; }

    /// <summary>The exact URL path the gateway serves.</summary>
    public string Path { get; }

    /// <summary>One instance for the application, or one per connection. Generated.</summary>
    public virtual GatewayLifetime Lifetime => GatewayLifetime.Singleton;

    /// <summary>The only port the gateway is served on, or null for every port of the application. Generated.</summary>
    public virtual int? Port => null;

    /// <summary>The Socket.IO namespace the gateway serves when the application maps Socket.IO (<c>/</c> by default).</summary>
    public virtual string SocketIONamespace => "/";

    /// <summary>The event names of the handlers, indexed by handler number.</summary>
    public IReadOnlyList<string> Events { get; }

    /// <summary>The <see cref="RateLimitAttribute"/> policy of each handler, by handler number; null when no handler has one.</summary>
    public IReadOnlyList<string?>? RateLimitPolicies { get; }

    /// <summary>
    /// Metadata of the gateway's endpoint: the authorization attributes of its class (<c>[Authorize]</c>,
    /// <c>[AllowAnonymous]</c>), which ASP.NET Core's authorization middleware checks at the handshake. Generated.
    /// </summary>
    public virtual IReadOnlyList<object> EndpointMetadata => [];

    /// <summary>
    /// The authorization attributes of each handler, by handler number (null for a handler without any), checked
    /// against the connection's user before the handler runs. Generated; null when no handler has any.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance", "CA1819", Justification = "Generated code fills it once; the runtime reads it once at start-up.")]
    public virtual IReadOnlyList<object>?[]? HandlerAuthorization => null;

    /// <summary>The method name of each handler, by handler number.</summary>
    public abstract IReadOnlyList<string> HandlerNames { get; }

    /// <summary>The guards, interceptors and exception filters of the gateway class; null when it has none. Generated.</summary>
    public virtual GatewayComponents? Components => null;

    /// <summary>
    /// The guards, interceptors and exception filters of each handler, by handler number (null for a handler without
    /// any); null when no handler has any. Generated.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance", "CA1819", Justification = "Generated code fills it once; the runtime reads it once at start-up.")]
    public virtual GatewayComponents?[]? HandlerComponents => null;

    /// <summary>The <c>[ValidatableType]</c> payload types its handlers validate before they run. Generated; empty when none.</summary>
    public virtual IReadOnlyList<Type> ValidatedTypes => [];

    /// <summary>
    /// What each handler receives and answers, by handler number, for contract documents. Generated; built on each
    /// call (only a document asks), so a gateway pays nothing for it at start-up or per message.
    /// </summary>
    public virtual IReadOnlyList<GatewayOperation> DescribeOperations() => [];

    /// <summary>Returns the number of the handler of <paramref name="utf8EventName"/>, or -1 when none claims it.</summary>
    public abstract int FindHandler(ReadOnlySpan<byte> utf8EventName);

    internal abstract GatewayBinding Bind(IServiceProvider services);

    internal abstract void Register(IServiceCollection services);
}

/// <summary>The generated definition of the gateway class <typeparamref name="TGateway"/>.</summary>
/// <typeparam name="TGateway">The gateway class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GatewayDefinition<TGateway> : GatewayDefinition where TGateway : class
{
    /// <summary>Creates the definition.</summary>
    /// <param name="name">The gateway's class name.</param>
    /// <param name="path">The exact URL path.</param>
    /// <param name="events">The handlers' event names, by handler number.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "ApiDesign", "RS0022", Justification = "Generated definitions derive from the generic class only; the non-generic base stays closed.")]
    protected GatewayDefinition(string name, string path, string[] events) : base(name, path, events, null)
    {
    }

    /// <summary>Creates the definition of a gateway with rate-limited handlers.</summary>
    /// <param name="name">The gateway's class name.</param>
    /// <param name="path">The exact URL path.</param>
    /// <param name="events">The handlers' event names, by handler number.</param>
    /// <param name="rateLimitPolicies">The <see cref="RateLimitAttribute"/> policy of each handler (null for none), by handler number.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "ApiDesign", "RS0022", Justification = "Generated definitions derive from the generic class only; the non-generic base stays closed.")]
    protected GatewayDefinition(string name, string path, string[] events, string?[] rateLimitPolicies)
        : base(name, path, events, rateLimitPolicies)
    {
    }

    /// <summary>Constructs the gateway with its constructor's services (the root services, or a connection's scope).</summary>
    public abstract TGateway Create(IServiceProvider services);

    /// <summary>Binds the message to handler <paramref name="handler"/>'s parameters, calls it, and sends its result.</summary>
    public abstract ValueTask InvokeAsync(TGateway gateway, int handler, GatewayMessage message);

    /// <summary>
    /// Binds the message to handler <paramref name="handler"/>'s parameters and calls it, returning its result
    /// (boxed) instead of sending it: the form interceptors run around.
    /// </summary>
    public abstract ValueTask<object?> CallAsync(TGateway gateway, int handler, GatewayMessage message);

    /// <summary>Sends <paramref name="result"/>, a result of handler <paramref name="handler"/>'s type, as the handler would have.</summary>
    public virtual ValueTask SendResultAsync(int handler, object result, GatewayMessage message) =>
        throw new InvalidOperationException(
            $"The handler '{HandlerNames[handler]}' of {Name} returns nothing, so an interceptor's result ({result}) cannot be sent as its result; return a GatewayResult.");

    /// <summary>Resolves an optional constructor service, or returns the parameter's default value when none is registered.</summary>
    protected static T GetServiceOrDefault<T>(IServiceProvider services, T defaultValue)
    {
        ArgumentNullException.ThrowIfNull(services);
        return ServiceDefaults.GetServiceOrDefault(services, defaultValue);
    }

    internal sealed override GatewayBinding Bind(IServiceProvider services)
    {
        if (Lifetime == GatewayLifetime.Connection && typeof(IOnGatewayInit).IsAssignableFrom(typeof(TGateway)))
        {
            throw new InvalidOperationException(
                $"{Name} has one instance per connection, so it has no instance to initialize once: move IOnGatewayInit to a singleton service.");
        }

        // A per-connection gateway's binding is the template each connection copies with its own instance.
        TGateway? instance = Lifetime == GatewayLifetime.Singleton ? services.GetRequiredService<TGateway>() : null;
        return new GatewayBinding<TGateway>(this, instance, HandlerRateLimiters.Resolve(this, services));
    }

    internal sealed override void Register(IServiceCollection services)
    {
        if (Lifetime == GatewayLifetime.Singleton)
        {
            services.AddSingleton(Create);
        }

        string path = Path;
        string @namespace = SocketIONamespace;
        services.AddSingleton<IGatewayServer<TGateway>>(sp =>
        {
            ConnectionRegistries registries = sp.GetRequiredService<ConnectionRegistries>();
            return new GatewayServer<TGateway>(path, registries.For(path), () => registries.ForNamespace(@namespace));
        });
    }
}
