namespace Gateway.Internal;

/// <summary>The gateway definitions added to the application, in the order they were added.</summary>
internal sealed class GatewayRegistry
{
    private readonly List<GatewayDefinition> _definitions = [];

    public IReadOnlyList<GatewayDefinition> Definitions => _definitions;

    public bool TryAdd(GatewayDefinition definition)
    {
        if (_definitions.Contains(definition))
        {
            return false;
        }

        _definitions.Add(definition);
        return true;
    }
}
