using Gateway.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Gateway.Client.Generators;

/// <summary>What a <c>[GatewayServerProxy]</c> or <c>[GatewayClientHandlers]</c> partial method generates: no symbols, equatable.</summary>
internal sealed record ProxySpec(
    string? Namespace,
    ImmutableEquatableArray<string> ContainingTypes,
    string Modifiers,
    string MethodName,
    string ConnectionParameter,
    bool IsExtension,
    ProxyKind Kind,
    string Contract,
    string? HandlersParameter,
    string JsonContext,
    ImmutableEquatableArray<OperationSpec> Operations,
    ImmutableEquatableArray<string> JsonTypes);

// JsonTypes: "annotated|key" per distinct annotated type (the field's type, and the typeof its metadata is found by).

internal enum ProxyKind
{
    ServerProxy,
    ClientHandlers,
}

/// <summary>How an operation goes on the wire.</summary>
internal enum OperationKind
{
    /// <summary><c>Task&lt;T&gt;</c> / <c>ValueTask&lt;T&gt;</c>: a request with a result.</summary>
    Result,

    /// <summary><c>Task</c> / <c>ValueTask</c>: a request that waits until the handler is done.</summary>
    Completion,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: a request whose handler streams.</summary>
    Stream,

    /// <summary>A handler of a pushed event (<c>void</c>, <c>Task</c> or <c>ValueTask</c>).</summary>
    Handler,
}

/// <summary>One method of the contract. Types are <c>global::</c> names with nullable annotations.</summary>
internal sealed record OperationSpec(
    string Declaring,
    string MethodName,
    string EventName,
    OperationKind Kind,
    string ReturnType,
    bool ReturnsValueTask,
    bool ReturnsVoid,
    string? DataParameter,
    string? DataType,
    string? DataKey,
    string? ValueType,
    string? ValueKey,
    string? CancellationParameter);

/// <summary>A diagnostic, equatable: where it goes as a path and spans, not a <see cref="Location"/>.</summary>
internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan Lines, ImmutableEquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        Location where = location ?? Location.None;
        return new DiagnosticInfo(
            descriptor.Id,
            where.SourceTree?.FilePath ?? "",
            where.SourceSpan,
            where.GetLineSpan().Span,
            arguments.ToImmutableEquatableArray());
    }

    public Diagnostic ToDiagnostic() => Diagnostic.Create(
        ProxyDiagnostics.ById(Id),
        FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, Lines),
        [.. Arguments]);
}

/// <summary>A parsed method: its spec when valid, and what is wrong with it.</summary>
internal sealed record ProxyParseResult(ProxySpec? Spec, ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
