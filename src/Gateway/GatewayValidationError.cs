namespace Gateway;

/// <summary>One failed member of a validated payload.</summary>
/// <param name="Property">
/// Its path in the JSON the client sent (<c>address.city</c>, <c>lines[0].qty</c>): each member name passed through the
/// payload's JSON naming policy; empty for a rule of the whole object.
/// </param>
/// <param name="Constraints">The messages of the rules it broke.</param>
public sealed record GatewayValidationError(string Property, IReadOnlyList<string> Constraints);
