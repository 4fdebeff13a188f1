namespace Gateway;

/// <summary>
/// The names under which Gateway reports what it does: its meter (for <c>dotnet-counters</c>, OpenTelemetry's
/// <c>AddMeter</c>) and its activity source (OpenTelemetry's <c>AddSource</c>). docs/observability.md lists every
/// instrument and tag.
/// </summary>
public static class GatewayDiagnostics
{
    /// <summary>The name of Gateway's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Gateway</c>.</summary>
    public const string MeterName = "Gateway";

    /// <summary>
    /// The name of Gateway's <see cref="System.Diagnostics.ActivitySource"/>: <c>Gateway</c>. One activity per handled
    /// message, linked to the handshake request's, parented to the client's W3C trace context when the message carries
    /// one (<c>traceparent</c>, <c>tracestate</c> beside <c>event</c> and <c>data</c>).
    /// </summary>
    public const string ActivitySourceName = "Gateway";
}
