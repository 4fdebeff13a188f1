using System.Reflection;
using System.Runtime.Loader;
using Gateway.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests.Infrastructure;

/// <summary>
/// A generator run's output compilation, emitted and loaded into a collectible context so that tests can call the
/// generated code. Gateway.dll and the framework resolve from the default context, so their types are the test's own.
/// </summary>
internal sealed class GeneratedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private GeneratedAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    public static GeneratedAssembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
        Assert.True(
            result.Success,
            "The output compilation does not emit:\n" + string.Join('\n', result.Diagnostics.Select(static d => d.ToString())));
        stream.Position = 0;
        var context = new AssemblyLoadContext($"Generated-{Guid.NewGuid():N}", isCollectible: true);
        return new GeneratedAssembly(context, context.LoadFromStream(stream));
    }

    /// <summary>The generated <c>GeneratedGatewayDefinition.Instance</c> of a gateway class.</summary>
    public GatewayDefinition Definition(string gatewayMetadataName)
    {
        Type gateway = Assembly.GetType(gatewayMetadataName, throwOnError: true)!;
        Type definition = gateway.GetNestedType("GeneratedGatewayDefinition", BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{gatewayMetadataName} has no nested GeneratedGatewayDefinition.");
        FieldInfo instance = definition.GetField("Instance", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException("GeneratedGatewayDefinition has no static Instance field.");
        return (GatewayDefinition)instance.GetValue(null)!;
    }

    /// <summary>Calls the generated <c>Create</c> of a gateway class, as Gateway does once per application.</summary>
    public object Create(string gatewayMetadataName, IServiceProvider services)
    {
        GatewayDefinition definition = Definition(gatewayMetadataName);
        MethodInfo create = definition.GetType().GetMethod("Create", [typeof(IServiceProvider)])
            ?? throw new InvalidOperationException("GeneratedGatewayDefinition has no Create(IServiceProvider).");
        return create.Invoke(definition, BindingFlags.DoNotWrapExceptions, binder: null, [services], culture: null)!;
    }

    /// <summary>Reads a public instance property of an object from the generated assembly.</summary>
    public static object? Property(object target, string name) =>
        (target.GetType().GetProperty(name) ?? throw new InvalidOperationException($"{target.GetType()} has no property {name}."))
            .GetValue(target);

    public void Dispose() => _context.Unload();
}
