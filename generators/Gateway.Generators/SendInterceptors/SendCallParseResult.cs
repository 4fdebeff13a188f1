using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>
/// A send call site: its spec, or, for a call that cannot be intercepted, the diagnostic that says so (without it
/// the call would throw at run time); and where it is, for a missing-metadata diagnostic.
/// </summary>
internal sealed class SendCallParseResult(SendCallSpec? spec, Location location, Diagnostic? problem)
{
    public SendCallSpec? Spec { get; } = spec;

    public Location Location { get; } = location;

    public Diagnostic? Problem { get; } = problem;
}
