namespace Gateway.Internal;

/// <summary>
/// The bounded values of <c>gateway.outcome</c> (a handled message) and, for failures, of <c>error.type</c>
/// (docs/observability.md).
/// </summary>
internal static class Outcomes
{
    public const string Ok = "ok";
    public const string Cancelled = "cancelled";
    public const string WsException = "ws_exception";
    public const string InvalidPayload = "invalid_payload";
    public const string ValidationFailed = "validation_failed";
    public const string HandlerException = "handler_exception";
}
