using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Client.Generators;

/// <summary>Reads a marked partial method and its contract into a <see cref="ProxySpec"/>, or says what is wrong.</summary>
internal static class ProxyParser
{
    public static ProxyParseResult Parse(GeneratorAttributeSyntaxContext context, ProxyKind kind)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var known = new KnownTypes(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = method.FirstLocation();
        string name = method.Name;

        void Invalid(Location? where, string problem) =>
            diagnostics.Add(DiagnosticInfo.Create(ProxyDiagnostics.InvalidProxyDeclaration, where ?? location, name, problem));

        ProxyParseResult Failed() => new(null, diagnostics.ToImmutableEquatableArray());

        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        if (!method.IsStatic || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || syntax.Body is not null || syntax.ExpressionBody is not null)
        {
            Invalid(location, "it must be a 'static partial' method without a body");
            return Failed();
        }

        if (method.IsGenericMethod || method.ContainingType.IsGenericType)
        {
            Invalid(location, "it and its class cannot be generic");
            return Failed();
        }

        var containing = new List<string>();
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            bool partial = type.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial || type.TypeKind != TypeKind.Class)
            {
                Invalid(location, $"its class '{type.Name}' must be a partial class");
                return Failed();
            }

            containing.Insert(0, (type.IsStatic ? "static partial class " : "partial class ") + type.Name);
        }

        if (context.Attributes[0].ConstructorArguments is not [{ Value: INamedTypeSymbol jsonContext }]
            || !InheritsFrom(jsonContext, known.JsonSerializerContext))
        {
            Invalid(location, "the attribute must name a JsonSerializerContext class, as in [GatewayServerProxy(typeof(MyJsonContext))]");
            return Failed();
        }

        IParameterSymbol[] parameters = [.. method.Parameters];
        bool shapeOk = kind == ProxyKind.ServerProxy
            ? parameters.Length == 1 && parameters[0].Type.Is(known.GatewayConnection) && method.ReturnType.TypeKind == TypeKind.Interface
            : parameters.Length == 2 && parameters[0].Type.Is(known.GatewayConnection) && parameters[1].Type.TypeKind == TypeKind.Interface
                && method.ReturnType.Is(known.Disposable);
        if (!shapeOk)
        {
            Invalid(location, kind == ProxyKind.ServerProxy
                ? "it must take a GatewayConnection and return an interface: static partial IMyServer Name(this GatewayConnection connection)"
                : "it must take a GatewayConnection and an interface, and return IDisposable: static partial IDisposable Name(this GatewayConnection connection, IMyEvents handlers)");
            return Failed();
        }

        var contract = (INamedTypeSymbol)(kind == ProxyKind.ServerProxy ? method.ReturnType : parameters[1].Type);
        HashSet<string> serializable = SerializableTypes(jsonContext, known);
        var jsonTypes = new List<string>();
        var operations = new List<OperationSpec>();
        foreach (INamedTypeSymbol type in new[] { contract }.Concat(contract.AllInterfaces))
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true } operation)
                {
                    OperationSpec? parsed = ParseOperation(operation, kind, known, m => Invalid(operation.FirstLocation(), m));
                    if (parsed is null)
                    {
                        continue;
                    }

                    foreach ((string? json, string? key) in new[] { (parsed.DataType, parsed.DataKey), (parsed.ValueType, parsed.ValueKey) })
                    {
                        if (json is null || key is null)
                        {
                            continue;
                        }

                        if (!serializable.Contains(key))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(
                                ProxyDiagnostics.ProxyTypeWithoutJsonMetadata, operation.FirstLocation() ?? location, key.Replace("global::", ""), operation.Name, jsonContext.Name));
                        }
                        else if (!jsonTypes.Contains(json + "|" + key))
                        {
                            jsonTypes.Add(json + "|" + key);
                        }
                    }

                    operations.Add(parsed);
                }
                else if (member is IPropertySymbol or IEventSymbol)
                {
                    Invalid(member.FirstLocation(), $"'{type.Name}.{member.Name}' is not a method; a contract has methods only");
                }
            }
        }

        if (diagnostics.Count > 0)
        {
            return Failed();
        }

        string accessibility = SyntaxFacts.GetText(method.DeclaredAccessibility);
        var spec = new ProxySpec(
            method.ContainingNamespace.IsGlobalNamespace ? null : method.ContainingNamespace.ToDisplayString(),
            containing.ToImmutableEquatableArray(),
            (accessibility.Length > 0 ? accessibility + " " : "") + "static partial",
            method.Name,
            parameters[0].Name,
            method.IsExtensionMethod,
            kind,
            contract.ToAnnotatedName(),
            kind == ProxyKind.ClientHandlers ? parameters[1].Name : null,
            jsonContext.ToAnnotatedName(),
            operations.ToImmutableEquatableArray(),
            jsonTypes.ToImmutableEquatableArray());
        return new ProxyParseResult(spec, ImmutableEquatableArray<DiagnosticInfo>.Empty);
    }

    private static OperationSpec? ParseOperation(IMethodSymbol method, ProxyKind kind, KnownTypes known, System.Action<string> invalid)
    {
        string eventName = EventName(method, known);
        IParameterSymbol[] parameters = [.. method.Parameters];
        IParameterSymbol? cancellation = null;
        if (kind == ProxyKind.ServerProxy && parameters.Length > 0 && parameters[^1].Type.Is(known.CancellationToken))
        {
            cancellation = parameters[parameters.Length - 1];
            parameters = parameters.Take(parameters.Length - 1).ToArray();
        }

        if (parameters.Length > 1 || parameters.Any(p => p.RefKind != RefKind.None || p.Type.Is(known.CancellationToken)))
        {
            invalid($"'{method.Name}' takes {method.Parameters.Length} parameters; an event carries one data value or none{(kind == ProxyKind.ServerProxy ? ", and a CancellationToken may follow" : "")}");
            return null;
        }

        if (method.IsGenericMethod)
        {
            invalid($"'{method.Name}' is generic");
            return null;
        }

        IParameterSymbol? data = parameters.Length == 1 ? parameters[0] : null;
        ITypeSymbol returns = method.ReturnType;
        OperationKind operationKind;
        ITypeSymbol? value = null;
        bool valueTask = returns.Is(known.ValueTask) || returns.Is(known.ValueTaskOfT);
        bool returnsVoid = returns.SpecialType == SpecialType.System_Void;
        if (kind == ProxyKind.ClientHandlers)
        {
            if (!returnsVoid && !returns.Is(known.Task) && !returns.Is(known.ValueTask))
            {
                invalid($"'{method.Name}' handles a pushed event: it must return void, Task or ValueTask");
                return null;
            }

            operationKind = OperationKind.Handler;
        }
        else if (returns.Is(known.TaskOfT) || returns.Is(known.ValueTaskOfT))
        {
            operationKind = OperationKind.Result;
            value = ((INamedTypeSymbol)returns).TypeArguments[0];
        }
        else if (returns.Is(known.Task) || returns.Is(known.ValueTask))
        {
            operationKind = OperationKind.Completion;
        }
        else if (returns.Is(known.AsyncEnumerable))
        {
            operationKind = OperationKind.Stream;
            value = ((INamedTypeSymbol)returns).TypeArguments[0];
        }
        else
        {
            invalid($"'{method.Name}' returns '{returns.ToDisplayString()}'; a request returns Task<T>, ValueTask<T>, Task, ValueTask or IAsyncEnumerable<T>");
            return null;
        }

        return new OperationSpec(
            method.ContainingType.ToAnnotatedName(),
            method.Name,
            eventName,
            operationKind,
            returns.ToAnnotatedName(),
            valueTask,
            returnsVoid,
            data?.Name,
            data?.Type.ToAnnotatedName(),
            data?.Type.ToMetadataKey(),
            value?.ToAnnotatedName(),
            value?.ToMetadataKey(),
            cancellation?.Name);
    }

    /// <summary>
    /// The client's <c>[GatewayEvent]</c>, else the server's <c>[ClientEvent]</c> (when the same contract is compiled with
    /// Gateway), else the method's name in camelCase without <c>Async</c>, as the server names <c>[ClientEvents]</c>.
    /// </summary>
    private static string EventName(IMethodSymbol method, KnownTypes known)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if ((attribute.AttributeClass.Is(known.GatewayEventAttribute) || attribute.AttributeClass.Is(known.ServerClientEventAttribute))
                && attribute.ConstructorArguments is [{ Value: string named }])
            {
                return named;
            }
        }

        return EventNames.FromMethod(method.Name);
    }

    /// <summary>The types the context has <c>[JsonSerializable]</c> for, by <c>global::</c> name without annotations.</summary>
    private static HashSet<string> SerializableTypes(INamedTypeSymbol context, KnownTypes known)
    {
        var types = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (AttributeData attribute in context.GetAttributes())
        {
            if (attribute.AttributeClass.Is(known.JsonSerializableAttribute) && attribute.ConstructorArguments is [{ Value: ITypeSymbol type }])
            {
                types.Add(type.ToMetadataKey());
            }
        }

        return types;
    }

    private static bool InheritsFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Is(baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The symbols the parser compares with, looked up once per parse.</summary>
    private sealed class KnownTypes(Compilation compilation)
    {
        public INamedTypeSymbol? GatewayConnection { get; } = compilation.GetTypeByMetadataName("Gateway.Client.GatewayConnection");
        public INamedTypeSymbol? GatewayEventAttribute { get; } = compilation.GetTypeByMetadataName("Gateway.Client.GatewayEventAttribute");
        public INamedTypeSymbol? ServerClientEventAttribute { get; } = compilation.GetTypeByMetadataName("Gateway.ClientEventAttribute");
        public INamedTypeSymbol? Task { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        public INamedTypeSymbol? TaskOfT { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        public INamedTypeSymbol? ValueTask { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        public INamedTypeSymbol? ValueTaskOfT { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        public INamedTypeSymbol? AsyncEnumerable { get; } = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        public INamedTypeSymbol? CancellationToken { get; } = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        public INamedTypeSymbol? Disposable { get; } = compilation.GetTypeByMetadataName("System.IDisposable");
        public INamedTypeSymbol? JsonSerializerContext { get; } = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializerContext");
        public INamedTypeSymbol? JsonSerializableAttribute { get; } = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializableAttribute");
    }
}
