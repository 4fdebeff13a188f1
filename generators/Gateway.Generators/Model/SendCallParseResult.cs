namespace Gateway.Generators.Model;

/// <summary>A send call site: its spec, and where it is for a missing-metadata diagnostic.</summary>
internal sealed class SendCallParseResult(SendCallSpec spec, JsonTypeUsage usage)
{
    public SendCallSpec Spec { get; } = spec;

    public JsonTypeUsage Usage { get; } = usage;
}
