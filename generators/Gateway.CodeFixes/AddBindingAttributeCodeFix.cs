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

/// <summary>
/// GW0004 (a parameter with no binding source) and GW0015 (a data type that would come from DI): adds
/// <c>[MessageBody]</c>, or <c>[FromServices]</c>, whichever the diagnostic says would bind the parameter.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddBindingAttributeCodeFix))]
[Shared]
public sealed class AddBindingAttributeCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnsupportedParameter, DiagnosticIds.ParameterNeedsBindingSource);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // GW0004 has other causes (a ref parameter, a type that cannot be read): only the ones the generator marks are fixed.
            if (!diagnostic.Properties.TryGetValue(DiagnosticIds.BindingFixesProperty, out string? fixes) || fixes is null
                || CodeFixHelpers.Find<ParameterSyntax>(root, diagnostic) is not { } parameter)
            {
                continue;
            }

            foreach (string fix in fixes.Split(','))
            {
                string? attributeNamespace = fix switch
                {
                    DiagnosticIds.MessageBody => "Gateway",
                    DiagnosticIds.FromServices => "Microsoft.AspNetCore.Mvc",
                    _ => null,
                };
                if (attributeNamespace is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add [{fix}] to '{parameter.Identifier.ValueText}'",
                        ct => AddAttributeAsync(context.Document, parameter, attributeNamespace, fix, ct),
                        equivalenceKey: nameof(AddBindingAttributeCodeFix) + fix),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AddAttributeAsync(
        Document document, ParameterSyntax parameter, string attributeNamespace, string attributeName, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Written fully qualified, then shortened to [MessageBody] once the namespace is imported.
        var marker = new SyntaxAnnotation();
        AttributeSyntax attribute = SyntaxFactory.Attribute(SyntaxFactory.ParseName($"global::{attributeNamespace}.{attributeName}"))
            .WithAdditionalAnnotations(Simplifier.Annotation, marker);
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .WithTrailingTrivia(SyntaxFactory.Space);
        ParameterSyntax updated = parameter.WithoutLeadingTrivia()
            .WithAttributeLists(parameter.AttributeLists.Add(list))
            .WithLeadingTrivia(parameter.GetLeadingTrivia());
        document = document.WithSyntaxRoot(root.ReplaceNode(parameter, updated));
        return await CodeFixHelpers.ImportAndSimplifyAsync(document, marker, attributeNamespace, attributeName + "Attribute", cancellationToken)
            .ConfigureAwait(false);
    }
}
