using System.Collections.Immutable;

namespace Gateway.Generators;

/// <summary>
/// What a code fix needs to know beyond the location, carried in <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>.
/// Gateway.CodeFixes repeats these keys and values (neither assembly references the other); a test checks both agree.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>On GW0004 and GW0015: the attributes that would bind the parameter, comma-separated.</summary>
    public const string BindingFixes = "BindingFixes";

    /// <summary>On GW0007: the <c>global::</c>-qualified type to list in a <c>[JsonSerializable]</c> attribute.</summary>
    public const string JsonType = "JsonType";

    public static ImmutableDictionary<string, string?> MessageBodyFix { get; } =
        ImmutableDictionary<string, string?>.Empty.Add(BindingFixes, "MessageBody");

    public static ImmutableDictionary<string, string?> MessageBodyOrFromServicesFix { get; } =
        ImmutableDictionary<string, string?>.Empty.Add(BindingFixes, "MessageBody,FromServices");

    public static ImmutableDictionary<string, string?> FromServicesFix { get; } =
        ImmutableDictionary<string, string?>.Empty.Add(BindingFixes, "FromServices");

    public static ImmutableDictionary<string, string?> ForJsonType(string metadataKey) =>
        ImmutableDictionary<string, string?>.Empty.Add(JsonType, metadataKey);
}
