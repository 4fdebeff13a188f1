using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>What the parser hands to the resolver for one <c>[ClientEvents]</c> interface.</summary>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified interface, which pairs it with its parse result.</param>
/// <param name="Spec">The contract, or null when the parser reported an error.</param>
/// <param name="JsonTypes">The data types of its events: the list the resolver binds.</param>
/// <remarks>Value-equatable; holds no symbols or locations.</remarks>
internal sealed record ClientEventsModel(string FullyQualifiedName, ClientEventsSpec? Spec, ImmutableEquatableArray<JsonTypeSpec> JsonTypes);
