using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>
/// An attribute the generated code re-creates as an object (authorization metadata: <c>[Authorize]</c>,
/// <c>[AllowAnonymous]</c> and their kind), as C# source: its type, its constructor arguments and its named ones.
/// </summary>
/// <param name="FullyQualifiedType">The <c>global::</c>-qualified attribute type.</param>
/// <param name="Arguments">The constructor arguments, each a C# expression.</param>
/// <param name="NamedArguments">The named arguments, each <c>Name = expression</c>.</param>
internal sealed record AttributeSpec(
    string FullyQualifiedType,
    ImmutableEquatableArray<string> Arguments,
    ImmutableEquatableArray<string> NamedArguments)
{
    /// <summary>The expression that creates the attribute.</summary>
    public string NewExpression =>
        $"new {FullyQualifiedType}({string.Join(", ", Arguments)})" + (NamedArguments.Count == 0 ? "" : $" {{ {string.Join(", ", NamedArguments)} }}");
}
