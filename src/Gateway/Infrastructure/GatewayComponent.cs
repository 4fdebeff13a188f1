using System.ComponentModel;

namespace Gateway.Infrastructure;

/// <summary>
/// A guard, interceptor or exception filter type named in a <c>[UseGuards]</c>, <c>[UseInterceptors]</c> or
/// <c>[UseFilters]</c> attribute, with the generated code that constructs it (no reflection creates it).
/// Used by generated code; not meant to be used directly.
/// </summary>
/// <param name="type">The component's type; one instance of each type serves the whole application.</param>
/// <param name="create">Creates the instance with its constructor's services.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GatewayComponent(Type type, Func<IServiceProvider, object> create)
{
    /// <summary>The component's type.</summary>
    public Type Type { get; } = type;

    /// <summary>Creates the instance with its constructor's services.</summary>
    public Func<IServiceProvider, object> Create { get; } = create;
}

/// <summary>
/// The guards, interceptors and exception filters one attribute target (a gateway class or a handler) applies, in
/// declaration order. Used by generated code; not meant to be used directly.
/// </summary>
/// <param name="guards">From <c>[UseGuards]</c>.</param>
/// <param name="interceptors">From <c>[UseInterceptors]</c>.</param>
/// <param name="filters">From <c>[UseFilters]</c>.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GatewayComponents(GatewayComponent[] guards, GatewayComponent[] interceptors, GatewayComponent[] filters)
{
    /// <summary>The guard types.</summary>
    public IReadOnlyList<GatewayComponent> Guards { get; } = guards;

    /// <summary>The interceptor types.</summary>
    public IReadOnlyList<GatewayComponent> Interceptors { get; } = interceptors;

    /// <summary>The exception filter types.</summary>
    public IReadOnlyList<GatewayComponent> Filters { get; } = filters;
}
