namespace Gateway.Generators;

/// <summary>Metadata names of the types the generator recognizes.</summary>
internal static class KnownTypeNames
{
    public const string WebSocketGatewayAttribute = "Gateway.WebSocketGatewayAttribute";
    public const string SubscribeMessageAttribute = "Gateway.SubscribeMessageAttribute";
    public const string MessageBodyAttribute = "Gateway.MessageBodyAttribute";
    public const string ClientEventsAttribute = "Gateway.ClientEventsAttribute";
    public const string ClientEventAttribute = "Gateway.ClientEventAttribute";
    public const string RateLimitAttribute = "Gateway.RateLimitAttribute";
    public const string UseGuardsAttribute = "Gateway.UseGuardsAttribute";
    public const string UseInterceptorsAttribute = "Gateway.UseInterceptorsAttribute";
    public const string UseFiltersAttribute = "Gateway.UseFiltersAttribute";
    public const string GatewayGuard = "Gateway.IGatewayGuard";
    public const string GatewayConnectionGuard = "Gateway.IGatewayConnectionGuard";
    public const string GatewayInterceptor = "Gateway.IGatewayInterceptor";
    public const string GatewayExceptionFilter = "Gateway.IGatewayExceptionFilter";
    public const string ValidatableTypeAttribute = "Microsoft.Extensions.Validation.ValidatableTypeAttribute";
    public const string SkipValidationAttribute = "Microsoft.Extensions.Validation.SkipValidationAttribute";
    public const string ValidationAttribute = "System.ComponentModel.DataAnnotations.ValidationAttribute";
    public const string ValidatableObject = "System.ComponentModel.DataAnnotations.IValidatableObject";
    public const string FromRouteMetadata = "Microsoft.AspNetCore.Http.Metadata.IFromRouteMetadata";
    public const string Parsable = "System.IParsable`1";
    public const string AuthorizeData = "Microsoft.AspNetCore.Authorization.IAuthorizeData";
    public const string AllowAnonymous = "Microsoft.AspNetCore.Authorization.IAllowAnonymous";
    public const string WsResponse = "Gateway.WsResponse`1";
    public const string GatewayClient = "Gateway.GatewayClient";
    public const string GatewayTarget = "Gateway.GatewayTarget";
    public const string GatewaySendExtensions = "Gateway.GatewaySendExtensions";
    public const string GatewayBuilder = "Gateway.IGatewayBuilder";
    public const string GatewayAssemblyAttribute = "Gateway.Infrastructure.GatewayAssemblyAttribute";
    public const string HttpContext = "Microsoft.AspNetCore.Http.HttpContext";
    public const string ClaimsPrincipal = "System.Security.Claims.ClaimsPrincipal";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string Task = "System.Threading.Tasks.Task";
    public const string TaskOfT = "System.Threading.Tasks.Task`1";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
    public const string AsyncEnumerable = "System.Collections.Generic.IAsyncEnumerable`1";
    public const string JsonElement = "System.Text.Json.JsonElement";
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string FromServicesAttribute = "Microsoft.AspNetCore.Mvc.FromServicesAttribute";
    public const string Stream = "System.IO.Stream";
    public const string SystemType = "System.Type";
    public const string MemberInfo = "System.Reflection.MemberInfo";
    public const string ActivatorUtilitiesConstructorAttribute =
        "Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructorAttribute";

    /// <summary>The context in the runtime that holds the built-in JSON metadata.</summary>
    public const string BuiltInJsonContext = "global::Gateway.Infrastructure.GatewayJsonContext";

    /// <summary>
    /// Types whose JSON metadata the runtime ships in <c>GatewayJsonContext</c>, as the generator spells them
    /// (fully qualified, no nullable reference annotations). A runtime test keeps both lists the same.
    /// </summary>
    public static readonly string[] BuiltInJsonTypes =
    [
        "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal", "char",
        "string", "global::System.Guid", "global::System.DateTime", "global::System.DateTimeOffset", "global::System.TimeSpan",
        "global::System.DateOnly", "global::System.TimeOnly", "global::System.Text.Json.JsonElement",
        "bool?", "int?", "long?", "double?", "decimal?", "global::System.Guid?", "global::System.DateTime?",
        "global::System.DateTimeOffset?",
        "bool[]", "byte[]", "int[]", "long[]", "double[]", "decimal[]", "string[]", "global::System.Guid[]",
        "global::System.Text.Json.JsonElement[]",
        "global::System.Collections.Generic.List<bool>", "global::System.Collections.Generic.List<int>",
        "global::System.Collections.Generic.List<long>", "global::System.Collections.Generic.List<double>",
        "global::System.Collections.Generic.List<decimal>", "global::System.Collections.Generic.List<string>",
        "global::System.Collections.Generic.List<global::System.Guid>",
        "global::System.Collections.Generic.List<global::System.Text.Json.JsonElement>",
    ];
}
