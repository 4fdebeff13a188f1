using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Gateway.Generators.Model;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// The specs are the cache keys of the pipeline: they must hold no compilation data (which would pin whole
/// compilations in memory and never compare equal) and must compare by value.
/// </summary>
public sealed class SpecEqualityTests
{
    private static readonly Type[] s_forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxToken), typeof(SyntaxReference),
        typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(AttributeData), typeof(Diagnostic),
    ];

    public static TheoryData<string> SpecTypes()
    {
        var data = new TheoryData<string>();
        foreach (Type type in ModelTypes())
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void ModelHasSpecs()
    {
        string[] names = [.. ModelTypes().Select(static t => t.Name)];

        Assert.Contains(nameof(GatewaySpec), names);
        Assert.Contains(nameof(HandlerSpec), names);
        Assert.Contains(nameof(TypeRef), names);
        Assert.Contains(nameof(GatewayModel), names);
        Assert.Contains(nameof(GatewayResolution), names);
        Assert.Contains(nameof(ClientEventsModel), names);
        Assert.Contains(nameof(SendCallsResolution), names);
    }

    [Theory]
    [MemberData(nameof(SpecTypes))]
    public void SpecDoesNotEncapsulateSymbolsOrCompilationData(string typeName)
    {
        Type type = ModelTypes().Single(t => t.Name == typeName);

        Assert.Empty(FindProblems(type));
        Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{type.Name} must be IEquatable<{type.Name}>.");
    }

    [Fact]
    public void Walker_FindsCompilationDataAndArrays()
    {
        string[] problems = FindProblems(typeof(BadSpec));

        Assert.Contains(problems, static p => p.Contains(nameof(BadSpec.Symbol), StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains(nameof(BadSpec.Locations), StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains(nameof(BadSpec.Names), StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains(nameof(Inner.Node), StringComparison.Ordinal));
    }

    [Fact]
    public void SameSourceParsedTwice_SpecsAreEqual()
    {
        (GatewaySpec spec1, ResolvedGatewaySpec resolved1) = ParseSpecs(GatewayOutputTests.EveryKindSource);
        (GatewaySpec spec2, ResolvedGatewaySpec resolved2) = ParseSpecs(GatewayOutputTests.EveryKindSource);

        Assert.NotSame(spec1, spec2);
        Assert.Equal(spec1, spec2);
        Assert.Equal(spec1.GetHashCode(), spec2.GetHashCode());
        Assert.Equal(resolved1, resolved2);
        Assert.Equal(resolved1.GetHashCode(), resolved2.GetHashCode());
    }

    [Fact]
    public void DifferentEventName_SpecsDiffer()
    {
        (GatewaySpec spec1, _) = ParseSpecs(GatewayOutputTests.EveryKindSource);
        (GatewaySpec spec2, _) = ParseSpecs(GatewayOutputTests.EveryKindSource.Replace("\"ping\"", "\"pong\"", StringComparison.Ordinal));

        Assert.NotEqual(spec1, spec2);
        Assert.Equal(spec1 with { Handlers = spec2.Handlers }, spec2);
    }

    private static IEnumerable<Type> ModelTypes() =>
        typeof(GatewaySpec).Assembly.GetTypes()
            .Where(static t => t.Namespace == typeof(GatewaySpec).Namespace
                && !t.IsNested
                && (t.Name.EndsWith("Spec", StringComparison.Ordinal) || t.Name.EndsWith("Model", StringComparison.Ordinal)
                    || t.Name.EndsWith("Resolution", StringComparison.Ordinal) || t == typeof(JsonBinding) || t == typeof(TypeRef)))
            .OrderBy(static t => t.Name, StringComparer.Ordinal);

    private static (GatewaySpec Spec, ResolvedGatewaySpec Resolved) ParseSpecs(string source)
    {
        GeneratorRunResult run = GeneratorHarness.Run(source).Gateway;
        return (
            Assert.IsType<GatewaySpec>(Assert.IsType<GatewayModel>(Assert.Single(Assert.Single(run.TrackedSteps[TrackingNames.Spec]).Outputs).Value).Spec),
            Assert.IsType<ResolvedGatewaySpec>(Assert.Single(Assert.Single(run.TrackedSteps[TrackingNames.Resolve]).Outputs).Value));
    }

    /// <summary>Walks the public properties of a type and of every type they hold, generic arguments included.</summary>
    private static string[] FindProblems(Type root)
    {
        var problems = new List<string>();
        var visited = new HashSet<Type>();
        Walk(root, root.Name);
        return [.. problems];

        void Walk(Type type, string path)
        {
            if (!visited.Add(type))
            {
                return;
            }

            if (s_forbidden.Any(f => f.IsAssignableFrom(type)))
            {
                problems.Add($"{path} is a {type.Name}, which holds compilation data");
                return;
            }

            if (type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)))
            {
                problems.Add($"{path} is a {type.Name}, which compares by reference; use ImmutableEquatableArray<T>");
            }

            foreach (Type part in type.IsArray ? [type.GetElementType()!] : type.GetGenericArguments())
            {
                Walk(part, $"{path}<{part.Name}>");
            }

            // Only our own types are opened up; framework types are leaves, checked by the lines above.
            if (type.IsEnum || typeof(IEnumerable).IsAssignableFrom(type)
                || (type.Assembly != typeof(GatewaySpec).Assembly && type.Assembly != typeof(SpecEqualityTests).Assembly))
            {
                return;
            }

            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0)
                {
                    Walk(property.PropertyType, $"{path}.{property.Name}");
                }
            }
        }
    }

    private sealed record BadSpec(ISymbol Symbol, ImmutableArray<Location> Locations, string[] Names, Inner Nested);

    private sealed record Inner(SyntaxNode Node);
}
