using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Internal;

/// <summary>Unguessable, URL-safe identifiers: connection ids, Engine.IO session ids, resumption tokens and pids.</summary>
internal static class RandomIds
{
    /// <summary><paramref name="bytes"/> random bytes (at most 64), base64url-encoded.</summary>
    public static string Create(int bytes)
    {
        Span<byte> random = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
