namespace Gateway.Generators.Helpers;

/// <summary>
/// How a contract method names its event when no attribute does, the same for the server's <c>[ClientEvents]</c> and
/// the typed .NET client (which links this file), so that both ends of one contract agree.
/// </summary>
internal static class EventNames
{
    /// <summary>The method name in camelCase, without an <c>Async</c> suffix: <c>UserJoinedAsync</c> → <c>userJoined</c>.</summary>
    public static string FromMethod(string methodName)
    {
        string name = methodName.EndsWith("Async", System.StringComparison.Ordinal) && methodName.Length > 5
            ? methodName.Substring(0, methodName.Length - 5)
            : methodName;
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }
}
