using System.Text;

namespace Gateway.Internal.AsyncApi;

/// <summary>Readable names of types for documents, from <see cref="Type.ToString"/> (no reflection over members).</summary>
internal static class TypeNames
{
    /// <summary>
    /// <c>ChatMessage</c>, <c>List_ChatMessage</c>, <c>Int32_Array</c>, <c>Dictionary_String_Int32</c>: namespaces and
    /// containing types dropped, generic arity dropped, arguments joined with <c>_</c>.
    /// </summary>
    public static string Readable(Type type)
    {
        string full = type.ToString();
        var name = new StringBuilder(full.Length);
        int segment = 0;
        for (int i = 0; i < full.Length; i++)
        {
            char c = full[i];
            switch (c)
            {
                case '.' or '+':
                    // A namespace or a containing type: only the last part of a name stays.
                    name.Length = segment;
                    break;
                case '`':
                    while (i + 1 < full.Length && char.IsAsciiDigit(full[i + 1]))
                    {
                        i++;
                    }

                    break;
                case '[' when i + 1 < full.Length && full[i + 1] == ']':
                    name.Append("_Array");
                    i++;
                    segment = name.Length;
                    break;
                case '[' or ',':
                    name.Append('_');
                    segment = name.Length;
                    break;
                case ']' or ' ':
                    segment = name.Length;
                    break;
                default:
                    name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
                    break;
            }
        }

        return name.ToString();
    }
}
