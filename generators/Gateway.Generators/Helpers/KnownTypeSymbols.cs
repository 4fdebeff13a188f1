using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Helpers;

/// <summary>
/// The symbols of the types the generator recognizes, looked up once per compilation: types are compared with
/// these, never by display string or name.
/// </summary>
internal sealed class KnownTypeSymbols(Compilation compilation)
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypeSymbols> s_cache = new();

    /// <summary>The symbols of <paramref name="compilation"/>, shared by every transform that runs on it.</summary>
    public static KnownTypeSymbols For(Compilation compilation) =>
        s_cache.GetValue(compilation, static c => new KnownTypeSymbols(c));

    public INamedTypeSymbol? WebSocketGatewayAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.WebSocketGatewayAttribute);
    public INamedTypeSymbol? SubscribeMessageAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.SubscribeMessageAttribute);
    public INamedTypeSymbol? MessageBodyAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.MessageBodyAttribute);
    public INamedTypeSymbol? ClientEventAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ClientEventAttribute);
    public INamedTypeSymbol? RateLimitAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.RateLimitAttribute);
    public INamedTypeSymbol? UseGuardsAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.UseGuardsAttribute);
    public INamedTypeSymbol? UseInterceptorsAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.UseInterceptorsAttribute);
    public INamedTypeSymbol? UseFiltersAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.UseFiltersAttribute);
    public INamedTypeSymbol? GatewayGuard { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayGuard);
    public INamedTypeSymbol? GatewayConnectionGuard { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayConnectionGuard);
    public INamedTypeSymbol? GatewayInterceptor { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayInterceptor);
    public INamedTypeSymbol? GatewayExceptionFilter { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayExceptionFilter);
    public INamedTypeSymbol? ValidatableTypeAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ValidatableTypeAttribute);
    public INamedTypeSymbol? SkipValidationAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.SkipValidationAttribute);
    public INamedTypeSymbol? ValidationAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ValidationAttribute);
    public INamedTypeSymbol? ValidatableObject { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.ValidatableObject);
    public INamedTypeSymbol? FromRouteMetadata { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.FromRouteMetadata);
    public INamedTypeSymbol? Parsable { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.Parsable);
    public INamedTypeSymbol? AuthorizeData { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.AuthorizeData);
    public INamedTypeSymbol? AllowAnonymous { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.AllowAnonymous);
    public INamedTypeSymbol? FromServicesAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.FromServicesAttribute);
    public INamedTypeSymbol? ActivatorUtilitiesConstructorAttribute { get; } =
        compilation.GetTypeByMetadataName(KnownTypeNames.ActivatorUtilitiesConstructorAttribute);
    public INamedTypeSymbol? GatewayAssemblyAttribute { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayAssemblyAttribute);
    public INamedTypeSymbol? WsResponse { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.WsResponse);
    public INamedTypeSymbol? GatewayClient { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayClient);
    public INamedTypeSymbol? GatewayTarget { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewayTarget);
    public INamedTypeSymbol? GatewaySendExtensions { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.GatewaySendExtensions);
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
    public INamedTypeSymbol? JsonSerializerContext { get; } = compilation.GetTypeByMetadataName(KnownTypeNames.JsonSerializerContext);
}
