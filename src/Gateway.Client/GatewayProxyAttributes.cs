namespace Gateway.Client;

/// <summary>
/// Marks a <c>static partial</c> method that returns a typed proxy of a gateway's events: the generator implements it.
/// Each method of the returned interface sends its event (its <see cref="GatewayEventAttribute"/> name, or the method's
/// name in camelCase without <c>Async</c>, as <c>[ClientEvents]</c> names events): <c>Task&lt;T&gt;</c> or
/// <c>ValueTask&lt;T&gt;</c> requests a result, <c>Task</c> or <c>ValueTask</c> waits until the handler is done,
/// <c>IAsyncEnumerable&lt;T&gt;</c> streams; one parameter is the data, a <see cref="CancellationToken"/> may follow.
/// </summary>
/// <example>
/// <code>
/// public static partial class ChatProxies
/// {
///     [GatewayServerProxy(typeof(ChatJson))]
///     public static partial IChatServer Server(this GatewayConnection connection);
/// }
/// </code>
/// </example>
/// <param name="jsonContext">The <c>JsonSerializerContext</c> with the metadata of every data, result and item type.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GatewayServerProxyAttribute(Type jsonContext) : Attribute
{
    /// <summary>The <c>JsonSerializerContext</c> the proxy reads and writes with.</summary>
    public Type JsonContext { get; } = jsonContext;
}

/// <summary>
/// Marks a <c>static partial</c> method that subscribes an implementation of an events contract (the interface a
/// server's <c>[ClientEvents]</c> declares) to what the server pushes: the generator implements it, one subscription
/// per method (named as <see cref="GatewayServerProxyAttribute"/> says), and returns what stops them all.
/// </summary>
/// <example>
/// <code>
/// [GatewayClientHandlers(typeof(ChatJson))]
/// public static partial IDisposable Handle(this GatewayConnection connection, IChatEvents handlers);
/// </code>
/// </example>
/// <param name="jsonContext">The <c>JsonSerializerContext</c> with the metadata of every event's data type.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GatewayClientHandlersAttribute(Type jsonContext) : Attribute
{
    /// <summary>The <c>JsonSerializerContext</c> the handlers' data is read with.</summary>
    public Type JsonContext { get; } = jsonContext;
}

/// <summary>The event a method of a proxied contract sends or handles, when it is not the method's name in camelCase.</summary>
/// <param name="name">The event name, as the server's <c>[SubscribeMessage]</c> or <c>[ClientEvent]</c> spells it.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GatewayEventAttribute(string name) : Attribute
{
    /// <summary>The event name.</summary>
    public string Name { get; } = name;
}
