namespace Gateway.CodeFixes;

/// <summary>
/// The ids and <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> keys this assembly shares with the generator.
/// The generator is a separate assembly that must not depend on this one (nor this one on it), so the values are
/// repeated there; a test checks that both agree.
/// </summary>
internal static class DiagnosticIds
{
    public const string GatewayMustBePartial = "GW0001";
    public const string UnsupportedParameter = "GW0004";
    public const string MissingJsonMetadata = "GW0007";
    public const string ParameterNeedsBindingSource = "GW0015";
    public const string AsyncVoidHandler = "GW0016";

    /// <summary>
    /// On GW0004 and GW0015: the attributes that would bind the parameter, comma-separated (<c>MessageBody,FromServices</c>).
    /// </summary>
    public const string BindingFixesProperty = "BindingFixes";

    /// <summary>On GW0007: the <c>global::</c>-qualified type to list in a <c>[JsonSerializable]</c> attribute.</summary>
    public const string JsonTypeProperty = "JsonType";

    public const string MessageBody = "MessageBody";
    public const string FromServices = "FromServices";
}
