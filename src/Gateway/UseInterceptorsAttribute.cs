namespace Gateway;

/// <summary>
/// Applies interceptors (<see cref="IGatewayInterceptor"/>) to each handler of a gateway class or to one handler,
/// as NestJS's <c>@UseInterceptors</c>. Each type is created once, with its constructor's services, by generated code.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class UseInterceptorsAttribute : Attribute
{
    /// <summary>Applies <paramref name="interceptors"/>, the first outermost.</summary>
    /// <param name="interceptors">Interceptor types.</param>
    public UseInterceptorsAttribute(params Type[] interceptors)
    {
        Interceptors = interceptors;
    }

    /// <summary>The interceptor types.</summary>
    public IReadOnlyList<Type> Interceptors { get; }
}
