using System.Collections.Generic;
using Gateway.Generators.Helpers;

namespace Gateway.Generators;

/// <summary>
/// A gateway's path as ASP.NET Core's route templates spell it, restricted to what Gateway matches exactly: literal
/// segments and whole-segment parameters (<c>/chat/{roomId}/socket</c>, <c>{id:int}</c>, <c>{page?}</c>).
/// </summary>
internal static class RoutePath
{
    /// <summary>What is wrong with <paramref name="path"/>, or null when Gateway can serve it.</summary>
    public static string? Problem(string path)
    {
        if (!path.StartsWith("/", System.StringComparison.Ordinal))
        {
            return "it must be a URL path starting with '/'";
        }

        var names = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        foreach (string segment in path.Substring(1).Split('/'))
        {
            if (segment.IndexOfAny(['?', '#']) >= 0 && !IsParameter(segment))
            {
                return $"the segment '{segment}' holds a query or fragment character";
            }

            if (segment.IndexOfAny(['{', '}']) < 0)
            {
                continue;
            }

            if (!IsParameter(segment))
            {
                return $"the segment '{segment}' mixes text and a route parameter; a parameter must be a whole segment, such as '{{roomId}}'";
            }

            string name = ParameterName(segment);
            if (name.Length == 0 || name[0] == '*' || !IsIdentifier(name))
            {
                return $"the route parameter '{segment}' needs a name made of letters, digits and '_' (catch-all parameters are not served)";
            }

            if (!names.Add(name))
            {
                return $"the route parameter '{name}' appears twice";
            }
        }

        return null;
    }

    /// <summary>The names of the route parameters of a valid <paramref name="path"/>, in order.</summary>
    public static ImmutableEquatableArray<string> Parameters(string path)
    {
        var names = new List<string>();
        foreach (string segment in path.Substring(1).Split('/'))
        {
            if (IsParameter(segment))
            {
                names.Add(ParameterName(segment));
            }
        }

        return names.ToImmutableEquatableArray();
    }

    private static bool IsParameter(string segment) =>
        segment.Length > 2 && segment[0] == '{' && segment[segment.Length - 1] == '}' && segment.IndexOf('{', 1) < 0 && segment.IndexOf('}') == segment.Length - 1;

    // "{name:constraint}" and "{name?}" and "{name=default}" name "name".
    private static string ParameterName(string segment)
    {
        string inner = segment.Substring(1, segment.Length - 2);
        int end = inner.IndexOfAny([':', '?', '=']);
        return end < 0 ? inner : inner.Substring(0, end);
    }

    private static bool IsIdentifier(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
