using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A guard, interceptor or exception filter type named in a <c>[UseGuards]</c>-like attribute.</summary>
/// <param name="FullyQualifiedType">The <c>global::</c>-qualified type.</param>
/// <param name="ConstructorParameters">The services its constructor takes, in order.</param>
internal sealed record ComponentSpec(string FullyQualifiedType, ImmutableEquatableArray<ParameterSpec> ConstructorParameters);

/// <summary>The components one gateway class or handler applies, each list in declaration order.</summary>
/// <param name="Guards">From <c>[UseGuards]</c>.</param>
/// <param name="Interceptors">From <c>[UseInterceptors]</c>.</param>
/// <param name="Filters">From <c>[UseFilters]</c>.</param>
internal sealed record ComponentsSpec(
    ImmutableEquatableArray<ComponentSpec> Guards,
    ImmutableEquatableArray<ComponentSpec> Interceptors,
    ImmutableEquatableArray<ComponentSpec> Filters)
{
    public static ComponentsSpec Empty { get; } = new(
        ImmutableEquatableArray<ComponentSpec>.Empty, ImmutableEquatableArray<ComponentSpec>.Empty, ImmutableEquatableArray<ComponentSpec>.Empty);

    public bool IsEmpty => Guards.Count == 0 && Interceptors.Count == 0 && Filters.Count == 0;
}
