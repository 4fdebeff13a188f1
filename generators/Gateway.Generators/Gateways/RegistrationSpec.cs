using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>What the project's registration (<c>AddGateways()</c>) needs from the compilation itself.</summary>
/// <param name="ReferencesRuntime">Whether Gateway's runtime is referenced (without it there is nothing to register with).</param>
/// <param name="AssemblyIdentifier">The assembly name as a C# identifier, naming this project's public registration type.</param>
/// <param name="ReferencedRegistrations">
/// The <c>global::</c>-qualified registration types of referenced assemblies that have gateways (each marked with
/// <c>[assembly: GatewayAssembly(typeof(...))]</c>), ordinal-sorted.
/// </param>
/// <remarks>Value-equatable: read from the compilation's references into strings, so an edit leaves it equal.</remarks>
internal sealed record RegistrationSpec(bool ReferencesRuntime, string AssemblyIdentifier, ImmutableEquatableArray<string> ReferencedRegistrations);
