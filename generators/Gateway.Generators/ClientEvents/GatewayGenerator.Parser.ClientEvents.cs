using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Parser
    {
        /// <summary>Turns a <c>[ClientEvents]</c> interface into a <see cref="ClientEventsSpec"/>.</summary>
        public static ClientEventsParseResult ParseClientEvents(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            KnownTypeSymbols known = KnownTypeSymbols.For(context.SemanticModel.Compilation);
            Location interfaceLocation = ((InterfaceDeclarationSyntax)context.TargetNode).Identifier.GetLocation();
            var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
            var jsonTypes = new List<JsonTypeSpec>();
            var jsonUsages = ImmutableArray.CreateBuilder<JsonTypeUsage>();
            void Report(Location location, string reason) =>
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidClientEvent, location, type.Name, reason));

            if (type.IsGenericType)
            {
                Report(interfaceLocation, "it is generic; a contract binds its data types at compile time");
            }

            Compilation compilation = context.SemanticModel.Compilation;
            if (type.IsFileLocal)
            {
                Report(interfaceLocation, "it is file-local; the generated implementation lives in another file");
            }
            else if (!compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                Report(interfaceLocation, "it is private or protected; the generated implementation must be able to reach it");
            }

            var events = new List<ClientEventSpec>();
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (ISymbol member in type.GetMembers().Concat(type.AllInterfaces.SelectMany(static i => i.GetMembers())))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Default-implemented members are the user's own, and so is a base member the contract implements itself.
                // Accessors are reported through their property or event.
                if (!member.IsAbstract
                    || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary }
                    || (!SymbolEqualityComparer.Default.Equals(member.ContainingType, type) && type.FindImplementationForInterfaceMember(member) is not null))
                {
                    continue;
                }

                Location location = member.FirstLocation() ?? interfaceLocation;
                if (member.IsStatic)
                {
                    Report(location, $"'{member.Name}' is static abstract; an implementation exists only for instance members");
                    continue;
                }

                if (member is not IMethodSymbol method)
                {
                    Report(location, $"'{member.Name}' is not a method; every member of a contract sends one event");
                    continue;
                }

                ClientEventSpec? spec = ParseClientEvent(method, known, location, Report, jsonTypes, jsonUsages);
                if (spec is null)
                {
                    continue;
                }

                if (!names.Add(spec.Event))
                {
                    Report(location, $"the event '{spec.Event}' of '{method.Name}' is sent by another method too");
                    continue;
                }

                events.Add(spec);
            }

            string fullyQualifiedName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            ClientEventsSpec? result = diagnostics.Count > 0
                ? null
                : new ClientEventsSpec(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    ContractName(type),
                    fullyQualifiedName,
                    events.ToImmutableEquatableArray());
            return new ClientEventsParseResult(
                new ClientEventsModel(fullyQualifiedName, result, jsonTypes.ToImmutableEquatableArray()),
                diagnostics.ToImmutable(),
                jsonUsages.ToImmutable(),
                interfaceLocation);
        }

        private static ClientEventSpec? ParseClientEvent(
            IMethodSymbol method,
            KnownTypeSymbols known,
            Location location,
            System.Action<Location, string> report,
            List<JsonTypeSpec> jsonTypes,
            ImmutableArray<JsonTypeUsage>.Builder jsonUsages)
        {
            bool returnsTask = SymbolEqualityComparer.Default.Equals(method.ReturnType, known.Task);
            if (!returnsTask && !SymbolEqualityComparer.Default.Equals(method.ReturnType, known.ValueTask))
            {
                report(location, $"'{method.Name}' must return ValueTask or Task");
                return null;
            }

            if (method.IsGenericMethod)
            {
                report(location, $"'{method.Name}' is generic");
                return null;
            }

            if (method.Parameters.Length > 1)
            {
                report(location, $"'{method.Name}' takes {method.Parameters.Length} parameters; an event carries one data value, or none");
                return null;
            }

            string eventName = method.GetAttributes()
                .FirstOrDefault(a => a.AttributeClass.Is(known.ClientEventAttribute))
                ?.ConstructorArguments is [{ Value: string named }] ? named : EventNames.FromMethod(method.Name);
            if (eventName.Length == 0)
            {
                report(location, $"'{method.Name}' has an empty event name");
                return null;
            }

            if (method.Parameters is not [IParameterSymbol parameter])
            {
                return new ClientEventSpec(Declaring(method), method.Name, eventName, returnsTask, null, null);
            }

            if (NonJsonKind(parameter.Type, known) is { } nonJson)
            {
                report(location, $"the parameter '{parameter.Name}' of '{method.Name}' is {nonJson}, which cannot be sent as JSON");
                return null;
            }

            if (parameter.RefKind != RefKind.None || !IsSerializable(parameter.Type))
            {
                report(location, $"the parameter '{parameter.Name}' of '{method.Name}' cannot be written as JSON");
                return null;
            }

            // The one place that records which types the contract needs metadata for (bound and reported by the resolver).
            TypeRef data = CreateTypeRef(parameter.Type);
            if (!jsonTypes.Any(t => t.Type.MetadataKey == data.MetadataKey))
            {
                jsonTypes.Add(new JsonTypeSpec(data, parameter.Type.ToDisplayString()));
            }

            jsonUsages.Add(new JsonTypeUsage(data.MetadataKey, parameter.FirstLocation() ?? location));
            return new ClientEventSpec(Declaring(method), method.Name, eventName, returnsTask, parameter.Name, data);
        }

        // With its nullable annotations (IS<string?>), or the explicit implementation would not match (CS8643).
        private static string Declaring(IMethodSymbol method) => method.ContainingType.ToAnnotatedName();

        /// <summary>The interface's name with its containing types, as metadata writes it: <c>Outer+IChatEvents</c>.</summary>
        private static string ContractName(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                parts.Insert(0, current.Name);
            }

            return string.Join("+", parts);
        }
    }
}
