using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Helpers;

/// <summary>The symbols of the types the parser recognizes, looked up once per parse.</summary>
internal sealed class KnownTypeSymbols(Compilation compilation)
{
    public INamedTypeSymbol? SubscribeMessageAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.SubscribeMessageAttribute);
    public INamedTypeSymbol? MessageBodyAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.MessageBodyAttribute);
    public INamedTypeSymbol? FromServicesAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.FromServicesAttribute);
    public INamedTypeSymbol? ActivatorUtilitiesConstructorAttribute { get; } =
        compilation.GetTypeByMetadataName(KnownTypeNames.ActivatorUtilitiesConstructorAttribute);
    public INamedTypeSymbol? WsResponse { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.WsResponse);
    public INamedTypeSymbol? GatewayClient { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayClient);
    public INamedTypeSymbol? HttpContext { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.HttpContext);
    public INamedTypeSymbol? ClaimsPrincipal { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ClaimsPrincipal);
    public INamedTypeSymbol? CancellationToken { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.CancellationToken);
    public INamedTypeSymbol? Task { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.Task);
    public INamedTypeSymbol? TaskOfT { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.TaskOfT);
    public INamedTypeSymbol? ValueTask { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ValueTask);
    public INamedTypeSymbol? ValueTaskOfT { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ValueTaskOfT);
    public INamedTypeSymbol? AsyncEnumerable { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.AsyncEnumerable);
    public INamedTypeSymbol? JsonElement { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.JsonElement);
    public INamedTypeSymbol? Stream { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.Stream);
    public INamedTypeSymbol? SystemType { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.SystemType);
    public INamedTypeSymbol? MemberInfo { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.MemberInfo);
}
