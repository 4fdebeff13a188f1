using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Gateway.CodeFixes;

/// <summary>GW0016: an <c>async void</c> handler returns <c>Task</c> instead, which Gateway awaits.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidToTaskCodeFix))]
[Shared]
public sealed class AsyncVoidToTaskCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AsyncVoidHandler);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (CodeFixHelpers.Find<MethodDeclarationSyntax>(root, diagnostic)
                is not { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } method)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{method.Identifier.ValueText}' return Task",
                    ct => ReturnTaskAsync(context.Document, method, ct),
                    equivalenceKey: nameof(AsyncVoidToTaskCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> ReturnTaskAsync(
        Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var marker = new SyntaxAnnotation();
        TypeSyntax task = SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task")
            .WithTriviaFrom(method.ReturnType)
            .WithAdditionalAnnotations(Simplifier.Annotation, marker);
        document = document.WithSyntaxRoot(root.ReplaceNode(method.ReturnType, task));
        return await CodeFixHelpers.ImportAndSimplifyAsync(document, marker, "System.Threading.Tasks", "Task", cancellationToken)
            .ConfigureAwait(false);
    }
}
