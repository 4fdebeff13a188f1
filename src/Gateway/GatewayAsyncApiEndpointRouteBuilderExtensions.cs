using Gateway;
using Gateway.Internal;
using Gateway.Internal.AsyncApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the AsyncAPI document of the application's gateways.</summary>
public static class GatewayAsyncApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the AsyncAPI 3.0 document of every gateway (a channel per path, an operation per handler with its message
    /// and reply schemas, the <c>[ClientEvents]</c> contracts as messages the server sends) as JSON at
    /// <paramref name="pattern"/>. Opt-in, like an OpenAPI document: the returned builder takes
    /// <c>RequireAuthorization()</c> and the other endpoint conventions.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route of the document. Default: <c>/asyncapi.json</c>.</param>
    /// <param name="configure">Sets the document's title, version and description.</param>
    public static IEndpointConventionBuilder MapGatewaysAsyncApi(
        this IEndpointRouteBuilder endpoints, string pattern = "/asyncapi.json", Action<GatewayAsyncApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        IServiceProvider services = endpoints.ServiceProvider;
        GatewayRegistry registry = GatewayRegistry.From(services, "app.MapGatewaysAsyncApi()");
        var options = new GatewayAsyncApiOptions();
        configure?.Invoke(options);
        options.Title ??= services.GetService<IHostEnvironment>()?.ApplicationName ?? "Gateways";

        // Built on the first request, when every contract assembly's module initializer has run.
        bool correlationIds = services.GetService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>()?.Value.CorrelationIds ?? true;
        var document = new Lazy<byte[]>(() => AsyncApiDocument.Write(registry.Definitions, GatewayClientEvents.Described(), options, correlationIds));
        // At build time (<GatewayAsyncApiDocument>, buildTransitive/Gateway.targets) the app is started only to write it.
        if (services.GetService<IConfiguration>()?[OutputPathKey] is { Length: > 0 } outputPath)
        {
            WriteAndStop(services, document, outputPath);
        }

        RequestDelegate serve = context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.Body.WriteAsync(document.Value, context.RequestAborted).AsTask();
        };
        return endpoints.MapGet(pattern, serve).WithDisplayName("Gateway AsyncAPI document");
    }

    /// <summary>The configuration key of the file the document is written to before the app stops.</summary>
    private const string OutputPathKey = "Gateway:AsyncApi:OutputPath";

    private static void WriteAndStop(IServiceProvider services, Lazy<byte[]> document, string outputPath)
    {
        IHostApplicationLifetime lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() =>
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllBytes(outputPath, document.Value);
            lifetime.StopApplication();
        });
    }
}
