using System.Collections.Immutable;
using System.Linq;
using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Gateway.Generators;

/// <summary>
/// Suppresses CA1822 ("mark members as static") on <c>[SubscribeMessage]</c> handlers: like controller
/// actions, handlers are instance methods by convention, whether or not they touch the gateway's state.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerSuppressor : DiagnosticSuppressor
{
    internal static readonly SuppressionDescriptor HandlerCanBeInstance = new(
        id: "GWSP0001",
        suppressedDiagnosticId: "CA1822",
        justification: "Gateway handlers are instance methods by convention, like controller actions.");

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.Create(HandlerCanBeInstance);

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (Diagnostic diagnostic in context.ReportedDiagnostics)
        {
            SyntaxTree? tree = diagnostic.Location.SourceTree;
            if (tree is null)
            {
                continue;
            }

            SyntaxNode node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            SemanticModel model = context.GetSemanticModel(tree);
            INamedTypeSymbol? subscribeMessage = KnownTypeSymbols.For(model.Compilation).SubscribeMessageAttribute;
            if (model.GetDeclaredSymbol(node, context.CancellationToken) is IMethodSymbol method
                && method.GetAttributes().Any(a => a.AttributeClass.Is(subscribeMessage)))
            {
                context.ReportSuppression(Suppression.Create(HandlerCanBeInstance, diagnostic));
            }
        }
    }
}
