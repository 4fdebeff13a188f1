namespace Gateway;

/// <summary>
/// Applies exception filters (<see cref="IGatewayExceptionFilter"/>) to each handler of a gateway class or to one
/// handler, as NestJS's <c>@UseFilters</c>. Each type is created once, with its constructor's services, by generated code.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class UseFiltersAttribute : Attribute
{
    /// <summary>Applies <paramref name="filters"/>, asked in this order.</summary>
    /// <param name="filters">Exception filter types.</param>
    public UseFiltersAttribute(params Type[] filters)
    {
        Filters = filters;
    }

    /// <summary>The exception filter types.</summary>
    public IReadOnlyList<Type> Filters { get; }
}
