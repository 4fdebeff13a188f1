using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Gateway.CodeFixes;

/// <summary>GW0001: adds <c>partial</c> to the gateway class.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix))]
[Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.GatewayMustBePartial);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (CodeFixHelpers.Find<ClassDeclarationSyntax>(root, diagnostic) is not { } declaration)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{declaration.Identifier.ValueText}' partial",
                    ct => MakePartialAsync(context.Document, declaration, ct),
                    equivalenceKey: nameof(MakePartialCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> MakePartialAsync(
        Document document, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        // SyntaxGenerator puts 'partial' where C# requires it (last, before 'class') and keeps the trivia.
        DeclarationModifiers modifiers = editor.Generator.GetModifiers(declaration).WithPartial(true);
        editor.SetModifiers(declaration, modifiers);
        return editor.GetChangedDocument();
    }
}
