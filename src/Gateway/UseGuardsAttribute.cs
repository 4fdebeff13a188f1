namespace Gateway;

/// <summary>
/// Applies guards (<see cref="IGatewayGuard"/>, <see cref="IGatewayConnectionGuard"/>) to a gateway class (each
/// handler, and its connections) or to one handler, as NestJS's <c>@UseGuards</c>. Each type is created once, with
/// its constructor's services, by generated code.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class UseGuardsAttribute : Attribute
{
    /// <summary>Applies <paramref name="guards"/>, in this order.</summary>
    /// <param name="guards">Guard types.</param>
    public UseGuardsAttribute(params Type[] guards)
    {
        Guards = guards;
    }

    /// <summary>The guard types.</summary>
    public IReadOnlyList<Type> Guards { get; }
}
