using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>One <c>[SubscribeMessage]</c> method.</summary>
/// <param name="Event">The event name it answers.</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="IsStatic">Whether the method is static.</param>
/// <param name="Parameters">Its parameters, in order.</param>
/// <param name="ReturnKind">How its result is produced.</param>
/// <param name="Result">The type of each sent value (the <c>T</c> of <c>Task&lt;T&gt;</c> or of <c>WsResponse&lt;T&gt;</c>), or null when nothing is sent.</param>
/// <param name="ResultIsWsResponse">Whether each value is a <c>WsResponse&lt;T&gt;</c>, sent as <c>{"event","data"}</c>.</param>
/// <param name="RateLimitPolicy">The policy of its <c>[RateLimit]</c> (its own, else its class's), or null.</param>
/// <param name="Authorization">Its own authorization attributes, checked per message against the connection's user.</param>
/// <param name="Components">Its own guards, interceptors and exception filters.</param>
/// <remarks>Value-equatable; holds no symbols, syntax or locations, so an edit inside a method body leaves it equal.</remarks>
internal sealed record HandlerSpec(
    string Event,
    string MethodName,
    bool IsStatic,
    ImmutableEquatableArray<ParameterSpec> Parameters,
    ReturnKind ReturnKind,
    TypeRef? Result,
    bool ResultIsWsResponse,
    string? RateLimitPolicy,
    ImmutableEquatableArray<AttributeSpec> Authorization,
    ComponentsSpec Components);
