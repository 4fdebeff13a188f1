using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Client.Generators;

/// <summary>
/// The typed .NET client: implements <c>[GatewayServerProxy]</c> methods (a contract's methods sent as requests,
/// streams and completions over <c>GatewayConnection</c>) and <c>[GatewayClientHandlers]</c> methods (an events
/// contract, such as a server's <c>[ClientEvents]</c> interface, subscribed to what the server pushes).
/// </summary>
/// <remarks>
/// The shape of the server generator: <c>ForAttributeWithMetadataName</c> → <see cref="ProxyParser"/> into equatable
/// <see cref="ProxySpec"/>s with their diagnostics → <see cref="ProxyEmitter"/>. Each method is one output.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ClientProxyGenerator : IIncrementalGenerator
{
    /// <summary>The tracking names of the steps, for incremental tests.</summary>
    public const string ServerProxiesStep = "ServerProxies";

    public const string ClientHandlersStep = "ClientHandlers";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        Register(context, "Gateway.Client.GatewayServerProxyAttribute", ProxyKind.ServerProxy, ServerProxiesStep);
        Register(context, "Gateway.Client.GatewayClientHandlersAttribute", ProxyKind.ClientHandlers, ClientHandlersStep);
    }

    private static void Register(IncrementalGeneratorInitializationContext context, string attribute, ProxyKind kind, string step)
    {
        IncrementalValuesProvider<ProxyParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is MethodDeclarationSyntax,
                (ctx, _) => ProxyParser.Parse(ctx, kind))
            .WithTrackingName(step);

        context.RegisterSourceOutput(results, static (output, result) =>
        {
            foreach (DiagnosticInfo diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (result.Spec is { } spec)
            {
                output.AddSource(ProxyEmitter.HintName(spec), ProxyEmitter.Emit(spec));
            }
        });
    }
}
