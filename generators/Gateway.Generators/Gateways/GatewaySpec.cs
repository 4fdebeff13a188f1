using Gateway.Generators.Helpers;

namespace Gateway.Generators.Model;

/// <summary>Everything the emitter needs to know about one gateway class.</summary>
/// <param name="Namespace">The class's namespace, or null for the global namespace.</param>
/// <param name="ClassName">The class's name.</param>
/// <param name="FullyQualifiedName">The <c>global::</c>-qualified class name.</param>
/// <param name="Path">The URL path it serves (a route template when it has parameters).</param>
/// <param name="Port">The only port it is served on, or null for every port of the application.</param>
/// <param name="PerConnection">Whether each connection gets an instance of its own (<c>GatewayLifetime.Connection</c>).</param>
/// <param name="ConstructorParameters">The services its constructor takes, in order.</param>
/// <param name="Handlers">Its handlers, in declaration order; the index is the handler number.</param>
/// <param name="Authorization">Its class's authorization attributes, metadata of its endpoint (checked at the handshake).</param>
/// <param name="Components">Its class's guards, interceptors and exception filters.</param>
/// <param name="SocketIONamespace">Its Socket.IO namespace (with its leading <c>/</c>), or null for the default one.</param>
/// <remarks>
/// Built by the parser from symbols and compared by value, so the pipeline regenerates only when something
/// the generated code depends on changed. It never holds an <c>ISymbol</c>, syntax or a <c>Compilation</c>.
/// </remarks>
internal sealed record GatewaySpec(
    string? Namespace,
    string ClassName,
    string FullyQualifiedName,
    string Path,
    int? Port,
    bool PerConnection,
    ImmutableEquatableArray<ParameterSpec> ConstructorParameters,
    ImmutableEquatableArray<HandlerSpec> Handlers,
    ImmutableEquatableArray<AttributeSpec> Authorization,
    ComponentsSpec Components,
    string? SocketIONamespace = null);
