using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// Reads, from the compilation's references, the registration types of the assemblies that have gateways, so
        /// that <c>AddGateways()</c> adds the gateways of class libraries too.
        /// </summary>
        public static RegistrationSpec ParseRegistration(Compilation compilation, CancellationToken cancellationToken)
        {
            KnownTypeSymbols known = KnownTypeSymbols.For(compilation);
            var registrations = new List<string>();
            if (known.GatewayAssemblyAttribute is { } marker)
            {
                foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (AttributeData attribute in assembly.GetAttributes())
                    {
                        if (attribute.AttributeClass.Is(marker)
                            && attribute.ConstructorArguments is [{ Value: INamedTypeSymbol type }]
                            && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
                        {
                            registrations.Add(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                        }
                    }
                }
            }

            return new RegistrationSpec(
                compilation.GetTypeByMetadataName(KnownTypeNames.GatewayBuilder) is not null,
                AssemblyIdentifier(compilation.AssemblyName ?? "Assembly"),
                registrations.Distinct().OrderBy(static n => n, System.StringComparer.Ordinal).ToImmutableEquatableArray());
        }

        private static string AssemblyIdentifier(string assemblyName) =>
            new(assemblyName.Select(static c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
    }
}
