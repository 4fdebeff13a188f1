using System.Buffers;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Internal;

/// <summary>
/// A gateway's path matched exactly, as the spec (section 1) and NestJS's ws adapter match it: routing finds the
/// endpoint ignoring case and a trailing slash; this refuses both. Literal segments compare ordinally, a route
/// parameter takes any non-empty segment (its constraints were routing's).
/// </summary>
internal sealed class GatewayPath
{
    private readonly string?[] _literals;

    public GatewayPath(string template)
    {
        Template = template;
        _literals = template == "/"
            ? [""]
            : [.. template[1..].Split('/').Select(static s => s.StartsWith('{') && s.EndsWith('}') ? null : s)];
    }

    public string Template { get; }

    public bool Matches(PathString path)
    {
        string value = path.HasValue ? path.Value! : "/";
        string[] segments = value[1..].Split('/');
        if (segments.Length != _literals.Length)
        {
            return false;
        }

        for (int i = 0; i < segments.Length; i++)
        {
            if (_literals[i] is { } literal ? !string.Equals(segments[i], literal, StringComparison.Ordinal) : segments[i].Length == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the request's raw path is well-formed percent-encoding of UTF-8: Kestrel leaves a malformed escape
    /// (<c>%zz</c>, a lone <c>%</c>, <c>%ff</c>) in the path as text, which would otherwise become a route value.
    /// </summary>
    public static bool HasValidEncoding(HttpContext context)
    {
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || raw.IndexOf('%', StringComparison.Ordinal) < 0)
        {
            return true;
        }

        int end = raw.IndexOfAny(['?', '#']);
        ReadOnlySpan<char> path = end < 0 ? raw : raw.AsSpan(0, end);
        byte[] bytes = ArrayPool<byte>.Shared.Rent(path.Length * 3);
        try
        {
            int length = 0;
            for (int i = 0; i < path.Length; i++)
            {
                if (path[i] != '%')
                {
                    length += System.Text.Encoding.UTF8.GetBytes(path.Slice(i, 1), bytes.AsSpan(length));
                    continue;
                }

                if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
                {
                    return false;
                }

                bytes[length++] = (byte)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                i += 2;
            }

            return Utf8.IsValid(bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
