using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
/// GW0007: adds <c>[JsonSerializable(typeof(T))]</c> to a <c>JsonSerializerContext</c> of the project, one action per
/// context the generator can use (the type comes from the diagnostic's properties, so no symbol is guessed from text).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFix))]
[Shared]
public sealed class AddJsonSerializableCodeFix : CodeFixProvider
{
    private const string JsonSerializerContextName = "System.Text.Json.Serialization.JsonSerializerContext";
    private const string NewContextName = "AppJsonContext";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingJsonMetadata);

    // Several diagnostics for one type would add the same line several times, so there is no fix-all.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Compilation? compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        if (compilation?.GetTypeByMetadataName(JsonSerializerContextName) is not { } contextBase)
        {
            return;
        }

        List<(INamedTypeSymbol Type, SyntaxReference Declaration)> contexts =
            FindContexts(context.Document.Project, compilation, contextBase);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticIds.JsonTypeProperty, out string? jsonType) || string.IsNullOrEmpty(jsonType))
            {
                continue;
            }

            foreach ((INamedTypeSymbol type, SyntaxReference declaration) in contexts)
            {
                Document? document = context.Document.Project.Solution.GetDocument(declaration.SyntaxTree);
                if (document is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add [JsonSerializable] to '{type.Name}'",
                        ct => AddAttributeAsync(document, declaration, jsonType!, ct),
                        equivalenceKey: nameof(AddJsonSerializableCodeFix) + type.ToDisplayString()),
                    diagnostic);
            }

            // A project without a context yet gets one, beside the file that needs it.
            if (contexts.Count == 0 && !compilation.GetSymbolsWithName(NewContextName, SymbolFilter.Type).Any())
            {
                SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                string? namespaceName = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?
                    .AncestorsAndSelf().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Create '{NewContextName}' with [JsonSerializable]",
                        ct => CreateContextAsync(context.Document, namespaceName, jsonType!, ct),
                        equivalenceKey: nameof(AddJsonSerializableCodeFix) + NewContextName),
                    diagnostic);
            }
        }
    }

    /// <summary>
    /// A new <c>AppJsonContext.cs</c> in the folder of <paramref name="near"/>, with the web defaults (camelCase) that
    /// NestJS clients expect, listing the type.
    /// </summary>
    private static async Task<Solution> CreateContextAsync(
        Document near, string? namespaceName, string jsonType, CancellationToken cancellationToken)
    {
        string declaration = namespaceName is null ? "" : $"namespace {namespaceName};\n\n";
        string text = "using System.Text.Json;\nusing System.Text.Json.Serialization;\n\n" + declaration
            + "[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]\n"
            + $"[JsonSerializable(typeof({jsonType}))]\n"
            + $"internal sealed partial class {NewContextName} : JsonSerializerContext;\n";
        SyntaxNode root = SyntaxFactory.ParseCompilationUnit(text, options: near.Project.ParseOptions as CSharpParseOptions);
        TypeOfExpressionSyntax typeOf = root.DescendantNodes().OfType<TypeOfExpressionSyntax>().Single();
        root = root.ReplaceNode(typeOf.Type, typeOf.Type.WithAdditionalAnnotations(Simplifier.Annotation));
        string? folder = near.FilePath is null ? null : System.IO.Path.GetDirectoryName(near.FilePath);
        Document created = near.Project.AddDocument(
            NewContextName + ".cs", root, near.Folders, folder is null ? null : System.IO.Path.Combine(folder, NewContextName + ".cs"));
        created = await Simplifier.ReduceAsync(created, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return created.Project.Solution;
    }

    /// <summary>
    /// The project's contexts that the generator reads: accessible from the assembly (not private nested), declared in
    /// the project's own documents. For a context in several partial files, the part that already has
    /// <c>[JsonSerializable]</c> lines is chosen.
    /// </summary>
    private static List<(INamedTypeSymbol, SyntaxReference)> FindContexts(
        Project project, Compilation compilation, INamedTypeSymbol contextBase)
    {
        var found = new List<(INamedTypeSymbol, SyntaxReference)>();
        foreach (ISymbol symbol in compilation.GetSymbolsWithName(static _ => true, SymbolFilter.Type))
        {
            if (symbol is not INamedTypeSymbol type || !DerivesFrom(type, contextBase)
                || !compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                continue;
            }

            SyntaxReference? chosen = type.DeclaringSyntaxReferences
                .Where(r => project.Solution.GetDocument(r.SyntaxTree) is not null && r.GetSyntax() is ClassDeclarationSyntax)
                .OrderByDescending(static r => ((ClassDeclarationSyntax)r.GetSyntax()).AttributeLists.Count)
                .FirstOrDefault();
            if (chosen is not null)
            {
                found.Add((type, chosen));
            }
        }

        return found.OrderBy(static c => c.Item1.ToDisplayString(), System.StringComparer.Ordinal).ToList();
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Document> AddAttributeAsync(
        Document document, SyntaxReference reference, string jsonType, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(reference.Span) is not ClassDeclarationSyntax declaration)
        {
            return document;
        }

        var marker = new SyntaxAnnotation();
        AttributeSyntax attribute = SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("global::System.Text.Json.Serialization.JsonSerializable"),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.AttributeArgument(SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(jsonType))))))
            .WithAdditionalAnnotations(Simplifier.Annotation, marker);

        // One line of its own, indented like the class, after the class's other attributes; the file's own line ending.
        SyntaxTrivia endOfLine = root.DescendantTrivia().FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        endOfLine = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.EndOfLine("\n");
        SyntaxTriviaList leading = declaration.GetLeadingTrivia();
        SyntaxTriviaList indentation = SyntaxFactory.TriviaList(
            leading.Reverse().TakeWhile(static t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .WithTrailingTrivia(endOfLine);
        ClassDeclarationSyntax updated = declaration.AttributeLists.Count == 0
            // The class's leading trivia (doc comment, indentation) moves in front of the new first line.
            ? declaration.WithoutLeadingTrivia().WithLeadingTrivia(indentation)
                .WithAttributeLists(SyntaxFactory.SingletonList(list.WithLeadingTrivia(leading)))
            : declaration.WithAttributeLists(declaration.AttributeLists.Add(list.WithLeadingTrivia(indentation)));

        document = document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
        return await CodeFixHelpers.ImportAndSimplifyAsync(
            document, marker, "System.Text.Json.Serialization", "JsonSerializableAttribute", cancellationToken).ConfigureAwait(false);
    }
}
