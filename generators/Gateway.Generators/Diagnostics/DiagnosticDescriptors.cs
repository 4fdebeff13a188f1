using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators;

internal static class DiagnosticDescriptors
{
    /// <summary>Where each id is explained (see <see cref="GatewayDiagnostics.HelpLinkBase"/>).</summary>
    public const string HelpLinkBase = GatewayDiagnostics.HelpLinkBase;

    public static readonly DiagnosticDescriptor GatewayMustBePartial = Create(
        "GW0001",
        "Gateway class must be partial",
        "The gateway '{0}' must be declared 'partial' so that Gateway can generate its dispatch table");

    public static readonly DiagnosticDescriptor GatewayMustBeConcrete = Create(
        "GW0002",
        "Gateway class must be a concrete, non-generic, top-level class",
        "The gateway '{0}' cannot be {1}: Gateway creates one instance of each gateway, so it must be a non-abstract, non-static, non-generic class declared at namespace level");

    public static readonly DiagnosticDescriptor DuplicateEvent = Create(
        "GW0003",
        "Event is handled twice on one path",
        "The event '{0}' on path '{1}' is already handled by {2}; each event of a path must have exactly one handler");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
        "GW0004",
        "Handler parameter cannot be bound",
        "The parameter '{0}' of handler '{1}' cannot be bound: {2}");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
        "GW0005",
        "Handler return type is not supported",
        "The handler '{0}' returns '{1}', which Gateway cannot send: {2}");

    public static readonly DiagnosticDescriptor ReservedEvent = Create(
        "GW0006",
        "The event 'exception' is reserved",
        "The handler '{0}' subscribes to 'exception', which is reserved for error frames sent by the server");

    public static readonly DiagnosticDescriptor MissingJsonMetadata = Create(
        "GW0007",
        "Type has no JSON metadata",
        "The type '{0}' has no source-generated JSON metadata; add [JsonSerializable(typeof({0}))] to a JsonSerializerContext in this project, e.g. '[JsonSerializable(typeof({0}))] internal partial class AppJsonContext : JsonSerializerContext;'");

    public static readonly DiagnosticDescriptor HandlerOutsideGateway = Create(
        "GW0008",
        "[SubscribeMessage] outside a gateway",
        "The method '{0}' has [SubscribeMessage] but its class '{1}' has no [WebSocketGateway], so it never receives messages");

    public static readonly DiagnosticDescriptor NoUsableConstructor = Create(
        "GW0009",
        "Gateway has no usable constructor",
        "The gateway '{0}' has no constructor Gateway can call: {1}");

    public static readonly DiagnosticDescriptor InvalidEventName = Create(
        "GW0010",
        "Invalid event name",
        "The handler '{0}' has an invalid event name: {1}");

    public static readonly DiagnosticDescriptor InvalidGatewayPath = Create(
        "GW0011",
        "Invalid gateway path or port",
        "The gateway '{1}' cannot be served at '{0}': {2}");

    public static readonly DiagnosticDescriptor GenericHandler = Create(
        "GW0012",
        "Handler cannot be generic",
        "The handler '{0}' is generic; Gateway binds each handler to concrete types at compile time");

    public static readonly DiagnosticDescriptor InvalidClientEvent = Create(
        "GW0013",
        "Invalid client events contract",
        "The client events contract '{0}' cannot be implemented: {1}");

    public static readonly DiagnosticDescriptor UnboundSend = Create(
        "GW0014",
        "Send without compile-time JSON metadata",
        "This call sends '{0}', whose JSON metadata cannot be bound at compile time: {1}");

    public static readonly DiagnosticDescriptor ParameterNeedsBindingSource = Create(
        "GW0015",
        "Handler parameter needs [MessageBody] or [FromServices]",
        "The parameter '{0}' of handler '{1}' would be resolved from dependency injection, but {2}");

    public static readonly DiagnosticDescriptor AsyncVoidHandler = Create(
        "GW0016",
        "Handler cannot be async void",
        "The handler '{0}' is 'async void': an exception after its first await cannot be caught and ends the process, and Gateway cannot tell when it is done; return Task or ValueTask");

    public static readonly DiagnosticDescriptor DuplicateMessageBody = Create(
        "GW0017",
        "Message data bound twice",
        "The handler '{0}' binds the whole message data to '{1}' and to '{2}'; a message has one data value: bind it once with [MessageBody], and use [MessageBody(\"name\")] for single properties");

    public static readonly DiagnosticDescriptor EmptyPolicyName = Create(
        "GW0018",
        "A policy name is empty",
        "The [{0}] on '{1}' names an empty policy: {2}");

    public static readonly DiagnosticDescriptor InvalidPipelineComponent = Create(
        "GW0019",
        "Guard, interceptor or exception filter cannot be used",
        "The type '{0}' in [{1}] on '{2}' cannot be used: {3}");

    public static readonly DiagnosticDescriptor PayloadNotValidatable = Create(
        "GW0020",
        "Payload has validation attributes but is not validated",
        "The payload type '{0}' of handler '{1}' has validation attributes, but Gateway validates only [ValidatableType] types (Microsoft.Extensions.Validation): add [ValidatableType] to '{0}' and call builder.Services.AddValidation(), or [SkipValidation] to the parameter to accept it unvalidated",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnknownRouteParameter = Create(
        "GW0021",
        "Route parameter is not in the gateway's path",
        "The parameter '{0}' of handler '{1}' binds the route value '{2}', but the path '{3}' has no parameter '{{{2}}}'");

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        GatewayDiagnostics.Create(id, title, message, severity);
}
