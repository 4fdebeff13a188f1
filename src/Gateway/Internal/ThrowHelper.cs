namespace Gateway.Internal;

internal static class ThrowHelper
{
    /// <summary>An overload whose JSON metadata the generator binds at each call site was called without it.</summary>
    public static InvalidOperationException NotIntercepted(string method) =>
        new($"{method} was called without JSON metadata bound at compile time. Build with the Gateway package's generator " +
            "(it binds the metadata at each call site) or pass a JsonTypeInfo<T> explicitly.");
}
