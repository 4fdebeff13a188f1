using Gateway.Generators.Helpers;
using Gateway.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests;

/// <summary>
/// The generator binds the built-in payload types to the runtime's <c>GatewayJsonContext</c> without seeing it, from
/// its own list: a type only in the generator's list compiles to a null JsonTypeInfo at run time, a type only in the
/// runtime's context wrongly gets GW0007.
/// </summary>
public sealed class BuiltInJsonTypesTests
{
    [Fact]
    public void GeneratorListMatchesGatewayJsonContext()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation();
        INamedTypeSymbol context = compilation.GetTypeByMetadataName("Gateway.Infrastructure.GatewayJsonContext")
            ?? throw new InvalidOperationException("Gateway.Infrastructure.GatewayJsonContext is not in the referenced Gateway.dll.");
        Assert.Equal(KnownTypeNames.BuiltInJsonContext, context.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

        string[] runtime = [.. context.GetAttributes()
            .Where(static a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.JsonSerializableAttribute)
            .Select(static a => a.ConstructorArguments is [{ Value: ITypeSymbol type }]
                ? type.ToMetadataKey()
                : throw new InvalidOperationException($"Unexpected attribute: {a}"))];
        Assert.NotEmpty(runtime);

        string[] generator = KnownTypeNames.BuiltInJsonTypes;
        string[] onlyInRuntime = [.. runtime.Except(generator, StringComparer.Ordinal)];
        string[] onlyInGenerator = [.. generator.Except(runtime, StringComparer.Ordinal)];
        Assert.True(
            onlyInRuntime.Length == 0 && onlyInGenerator.Length == 0,
            "KnownTypeNames.BuiltInJsonTypes and GatewayJsonContext differ.\n"
                + $"In GatewayJsonContext only: {Describe(onlyInRuntime)}\n"
                + $"In KnownTypeNames.BuiltInJsonTypes only: {Describe(onlyInGenerator)}");
        Assert.Equal(generator.Length, generator.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(runtime.Length, runtime.Distinct(StringComparer.Ordinal).Count());
    }

    private static string Describe(string[] types) => types.Length == 0 ? "(none)" : string.Join(", ", types);
}
