using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>
/// A send call site: its spec and where it is for a missing-metadata diagnostic, or, for a call that cannot be
/// intercepted, the diagnostic that says so (without it the call would throw at run time).
/// </summary>
internal sealed class SendCallParseResult(SendCallSpec? spec, JsonTypeUsage? usage, Diagnostic? problem)
{
    public SendCallSpec? Spec { get; } = spec;

    public JsonTypeUsage? Usage { get; } = usage;

    public Diagnostic? Problem { get; } = problem;
}
