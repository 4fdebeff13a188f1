using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>The parser's answer for one <c>[ClientEvents]</c> interface, with diagnostics beside the spec.</summary>
internal sealed class ClientEventsParseResult(ClientEventsSpec? spec, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<JsonTypeUsage> jsonTypes)
{
    public ClientEventsSpec? Spec { get; } = spec;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    public ImmutableArray<JsonTypeUsage> JsonTypes { get; } = jsonTypes;
}
