using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>A <c>[ClientEvents]</c> interface to implement.</summary>
/// <param name="Namespace">Its namespace, or null for the global namespace.</param>
/// <param name="Name">Its name with its containing types, as metadata writes it (<c>Outer+IChatEvents</c>).</param>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified name.</param>
/// <param name="Events">Its methods, in declaration order.</param>
/// <remarks>Value-equatable; holds no symbols.</remarks>
internal sealed record ClientEventsSpec(string? Namespace, string Name, string FullyQualifiedName, ImmutableEquatableArray<ClientEventSpec> Events);
