using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Model;

/// <summary>An event a handler claims on a path, and where: the input of the one duplicate-event rule (GW0003).</summary>
/// <param name="Path">The gateway's path.</param>
/// <param name="Port">The gateway's port, or null when it is served on every port of the application.</param>
/// <param name="Event">The event name.</param>
/// <param name="Handler">The handler as <c>Gateway.Method</c>, for the message.</param>
/// <param name="Location">The handler's identifier.</param>
internal readonly record struct EventClaim(string Path, int? Port, string Event, string Handler, Location Location);
