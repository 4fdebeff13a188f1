namespace Gateway.Generators.Model;

/// <summary>One handler or constructor parameter and how to bind it.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Kind">Its binding source.</param>
/// <param name="Type">Its type.</param>
/// <param name="PropertyName">For <see cref="ParameterKind.MessageBodyProperty"/>, the property of <c>data</c> to bind; for <see cref="ParameterKind.Route"/>, the route value.</param>
/// <param name="DefaultValue">For an optional service with a default value, that value as a C# expression.</param>
/// <param name="AllowsNull">For a message body, whether the parameter takes null (a missing or null <c>data</c>).</param>
/// <param name="ValidateAs">For a message body of a <c>[ValidatableType]</c> type, the name its errors are reported under; null when not validated.</param>
/// <remarks>Value-equatable; holds no symbols.</remarks>
internal sealed record ParameterSpec(string Name, ParameterKind Kind, TypeRef Type, string? PropertyName, string? DefaultValue = null, bool AllowsNull = false, string? ValidateAs = null);
