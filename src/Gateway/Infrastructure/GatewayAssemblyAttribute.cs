using System.ComponentModel;

namespace Gateway.Infrastructure;

/// <summary>
/// Marks an assembly that has gateways, naming its generated registration type, so that the generated
/// <c>AddGateways()</c> of an application that references it adds them too. Used by generated code.
/// </summary>
/// <param name="registrationType">
/// The generated static class whose <c>AddGateways(IGatewayBuilder)</c> adds the assembly's gateways.
/// </param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class GatewayAssemblyAttribute(Type registrationType) : Attribute
{
    /// <summary>The generated registration type of the assembly.</summary>
    public Type RegistrationType { get; } = registrationType;
}
