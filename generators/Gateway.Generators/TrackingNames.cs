namespace Gateway.Generators;

/// <summary>Names of the incremental steps, so tests can assert how each step ran.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Spec = nameof(Spec);
    public const string JsonContexts = nameof(JsonContexts);
    public const string Bind = nameof(Bind);
    public const string Resolve = nameof(Resolve);
    public const string Registry = nameof(Registry);
    public const string ReferencedGateways = nameof(ReferencedGateways);
    public const string ParseClientEvents = nameof(ParseClientEvents);
    public const string ClientEventsSpec = nameof(ClientEventsSpec);
    public const string BindClientEvents = nameof(BindClientEvents);
    public const string ResolveClientEvents = nameof(ResolveClientEvents);
    public const string ParseSendCalls = nameof(ParseSendCalls);
    public const string ResolveSendCalls = nameof(ResolveSendCalls);
}
