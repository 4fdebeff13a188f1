using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Gateway.CodeFixes;

internal static class CodeFixHelpers
{
    /// <summary>The innermost <typeparamref name="T"/> around the start of the diagnostic's location.</summary>
    public static T? Find<T>(SyntaxNode? root, Diagnostic diagnostic)
        where T : SyntaxNode =>
        root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<T>().FirstOrDefault();

    /// <summary>
    /// Makes <paramref name="typeName"/> (in <paramref name="namespaceName"/>) reachable by its simple name where the
    /// node annotated with <paramref name="marker"/> is, adding a using in sorted place (System first) when no using
    /// or global using brings it, then shortens the names annotated for simplification.
    /// </summary>
    /// <remarks>
    /// ImportAdder would do the first half, but it drops the blank line after a file-scoped namespace; a plain
    /// using directive is all that is needed here.
    /// </remarks>
    public static async Task<Document> ImportAndSimplifyAsync(
        Document document, SyntaxAnnotation marker, string namespaceName, string typeName, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is CompilationUnitSyntax unit && model is not null && root.GetAnnotatedNodes(marker).FirstOrDefault() is { } node
            && !model.LookupNamespacesAndTypes(node.SpanStart, name: typeName)
                .Any(s => s.ContainingNamespace?.ToDisplayString() == namespaceName))
        {
            document = document.WithSyntaxRoot(AddUsing(unit, namespaceName));
        }

        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string namespaceName)
    {
        SyntaxTrivia endOfLine = unit.DescendantTrivia().FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        endOfLine = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.EndOfLine("\n");
        UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(namespaceName))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithTrailingTrivia(endOfLine);
        if (unit.Usings.Count == 0)
        {
            // First line of the file, then a blank line before what was there.
            return unit.WithUsings(SyntaxFactory.SingletonList(directive.WithTrailingTrivia(endOfLine, endOfLine)));
        }

        int index = 0;
        while (index < unit.Usings.Count && !Before(namespaceName, unit.Usings[index]))
        {
            index++;
        }

        if (index == 0)
        {
            // The file's leading trivia (a header comment) stays first.
            UsingDirectiveSyntax first = unit.Usings[0];
            directive = directive.WithLeadingTrivia(first.GetLeadingTrivia());
            unit = unit.ReplaceNode(first, first.WithoutLeadingTrivia());
        }

        return unit.WithUsings(unit.Usings.Insert(index, directive));
    }

    /// <summary>Whether the new namespace sorts before an existing plain using (System namespaces first, then ordinal).</summary>
    private static bool Before(string namespaceName, UsingDirectiveSyntax existing)
    {
        if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None) || existing.Name is null)
        {
            return true;
        }

        string other = existing.Name.ToString();
        bool newIsSystem = IsSystem(namespaceName);
        bool otherIsSystem = IsSystem(other);
        return newIsSystem != otherIsSystem ? newIsSystem : string.CompareOrdinal(namespaceName, other) < 0;

        static bool IsSystem(string name) => name == "System" || name.StartsWith("System.", System.StringComparison.Ordinal);
    }
}
