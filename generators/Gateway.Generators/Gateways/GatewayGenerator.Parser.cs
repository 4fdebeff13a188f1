using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    /// <summary>
    /// Turns a <c>[WebSocketGateway]</c> class into a <see cref="GatewaySpec"/>. This is the only place that
    /// touches symbols; everything after it works on value-equatable specs.
    /// </summary>
    internal static partial class Parser
    {
        public static GatewayParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (ClassDeclarationSyntax)context.TargetNode;
            KnownTypeSymbols known = KnownTypeSymbols.For(context.SemanticModel.Compilation);
            var state = new ParseState(type.Name);
            Location classLocation = syntax.Identifier.GetLocation();

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                state.Report(DiagnosticDescriptors.GatewayMustBePartial, classLocation, type.Name);
            }

            string? notConcrete = type.IsStatic ? "static"
                : type.IsAbstract ? "abstract"
                : type.IsGenericType ? "generic"
                : type.ContainingType is not null ? "nested in another type"
                : type.IsFileLocal ? "file-local"
                : null;
            if (notConcrete is not null)
            {
                state.Report(DiagnosticDescriptors.GatewayMustBeConcrete, classLocation, type.Name, notConcrete);
            }

            (string path, int? port) = context.Attributes[0].ConstructorArguments switch
            {
                [{ Value: string value }] => (value, (int?)null),
                [{ Value: int number }] => ("/", number),
                [{ Value: int number }, { Value: string value }] => (value, number),
                _ => ("/", null),
            };
            string? pathProblem = port is < 1 or > 65535 ? $"the port {port} is not a TCP port (1 to 65535)" : RoutePath.Problem(path);
            if (pathProblem is not null)
            {
                state.Report(
                    DiagnosticDescriptors.InvalidGatewayPath,
                    ArgumentLocation(context.Attributes[0], port is < 1 or > 65535 ? 0 : context.Attributes[0].ConstructorArguments.Length - 1) ?? classLocation,
                    port is null ? path : $"{port}{path}",
                    type.Name,
                    pathProblem);
            }

            // GatewayLifetime.Connection is 1; the generator compares the number, as the enum lives in the runtime.
            bool perConnection = context.Attributes[0].NamedArguments.Any(static a => a.Key == "Lifetime" && a.Value.Value is 1);
            // NestJS's namespace option; socket.io adds the leading slash a name lacks, and so does the generator.
            string? socketIONamespace = context.Attributes[0].NamedArguments
                .Where(static a => a.Key == "Namespace" && a.Value.Value is string { Length: > 0 })
                .Select(static a => (string)a.Value.Value!)
                .Select(static n => n.StartsWith("/", System.StringComparison.Ordinal) ? n : "/" + n)
                .FirstOrDefault();
            if (socketIONamespace == "/")
            {
                socketIONamespace = null;
            }
            ImmutableEquatableArray<string> routeParameters = pathProblem is null ? RoutePath.Parameters(path) : ImmutableEquatableArray<string>.Empty;

            // A class that cannot be instantiated has no constructor worth diagnosing.
            ImmutableEquatableArray<ParameterSpec> constructor = notConcrete is null
                ? ParseConstructor(type, known, state, classLocation)
                : ImmutableEquatableArray<ParameterSpec>.Empty;

            var handlers = new List<HandlerSpec>();
            var events = ImmutableArray.CreateBuilder<EventClaim>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IMethodSymbol method || FindSubscribeMessage(method, known) is not { } attribute)
                {
                    continue;
                }

                Location location = method.FirstLocation() ?? classLocation;
                HandlerSpec? handler = ParseHandler(method, attribute, known, state, location, path, routeParameters);
                if (handler is null)
                {
                    continue;
                }

                // Duplicates, in this gateway or another one on the path, are one rule: see ReportDuplicateEvents.
                events.Add(new EventClaim(path, port, handler.Event, $"{type.Name}.{handler.MethodName}", location));
                handlers.Add(handler);
            }

            // Before the error check: an empty policy name on the class is an error of the gateway too (its handlers
            // read the class's [RateLimit] without reporting it again).
            ImmutableEquatableArray<AttributeSpec> authorization = ParseAuthorization(type, known, state);
            ComponentsSpec components = ParseComponents(type, known, state);
            _ = RateLimitPolicy(type, known, state);
            string fullyQualifiedName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            GatewaySpec? spec = state.HasErrors
                ? null
                : new GatewaySpec(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    type.Name,
                    fullyQualifiedName,
                    path,
                    port,
                    perConnection,
                    constructor,
                    handlers.ToImmutableEquatableArray(),
                    authorization,
                    components,
                    socketIONamespace);
            return new GatewayParseResult(
                new GatewayModel(fullyQualifiedName, spec, state.JsonTypes.ToImmutableEquatableArray()),
                state.Diagnostics.ToImmutable(),
                state.JsonUsages.ToImmutable(),
                events.ToImmutable(),
                classLocation);
        }

        /// <summary>Finds <c>[SubscribeMessage]</c> classes' strays: methods with it in a class that is not a gateway.</summary>
        public static ImmutableArray<Diagnostic> FindHandlerOutsideGateway(GeneratorAttributeSyntaxContext context)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            INamedTypeSymbol containing = method.ContainingType;
            KnownTypeSymbols known = KnownTypeSymbols.For(context.SemanticModel.Compilation);
            bool isGateway = containing.GetAttributes().Any(a => a.AttributeClass.Is(known.WebSocketGatewayAttribute));
            if (isGateway)
            {
                return ImmutableArray<Diagnostic>.Empty;
            }

            Location location = method.FirstLocation() ?? Location.None;
            return ImmutableArray.Create(Diagnostic.Create(
                DiagnosticDescriptors.HandlerOutsideGateway, location, method.Name, containing.Name));
        }

        /// <summary>Reads the types a <c>JsonSerializerContext</c> lists in its <c>[JsonSerializable]</c> attributes.</summary>
        public static JsonContextSpec? ParseJsonContext(GeneratorAttributeSyntaxContext context)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            Compilation compilation = context.SemanticModel.Compilation;
            // Generated code reaches the context from a gateway class, so a private nested context cannot serve.
            if (!DerivesFrom(type, KnownTypeSymbols.For(compilation).JsonSerializerContext) || !compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                return null;
            }

            var keys = new List<string>();
            foreach (AttributeData attribute in context.Attributes)
            {
                if (attribute.ConstructorArguments is [{ Value: ITypeSymbol listed }])
                {
                    keys.Add(listed.ToMetadataKey());
                }
            }

            return new JsonContextSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), keys.ToImmutableEquatableArray());
        }

        private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
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

        private static AttributeData? FindSubscribeMessage(IMethodSymbol method, KnownTypeSymbols known)
        {
            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass.Is(known.SubscribeMessageAttribute))
                {
                    return attribute;
                }
            }

            return null;
        }

        private static Location? ArgumentLocation(AttributeData attribute, int index) =>
            attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments: { } arguments } && index >= 0 && index < arguments.Count
                ? arguments[index].GetLocation()
                : null;

        private static ImmutableEquatableArray<ParameterSpec> ParseConstructor(
            INamedTypeSymbol type, KnownTypeSymbols known, ParseState state, Location classLocation) =>
            ParseConstructor(type, known, reason => state.Report(DiagnosticDescriptors.NoUsableConstructor, classLocation, type.Name, reason));

        /// <summary>
        /// The services of the constructor generated code calls (the only one, the one marked
        /// <c>[ActivatorUtilitiesConstructor]</c>, or the only public one); each problem goes to <paramref name="report"/>.
        /// </summary>
        private static ImmutableEquatableArray<ParameterSpec> ParseConstructor(
            INamedTypeSymbol type, KnownTypeSymbols known, System.Action<string> report)
        {
            ImmutableArray<IMethodSymbol> constructors = type.InstanceConstructors;
            IMethodSymbol? chosen = constructors.Length == 1 ? constructors[0] : null;
            chosen ??= Single(constructors.Where(c => c.GetAttributes().Any(a => a.AttributeClass.Is(known.ActivatorUtilitiesConstructorAttribute))));
            chosen ??= Single(constructors.Where(static c => c.DeclaredAccessibility == Accessibility.Public));
            if (chosen is null)
            {
                report($"it has {constructors.Length} constructors; mark the one to use with [ActivatorUtilitiesConstructor]");
                return ImmutableEquatableArray<ParameterSpec>.Empty;
            }

            var parameters = new List<ParameterSpec>();
            foreach (IParameterSymbol parameter in chosen.Parameters)
            {
                string? problem = parameter.RefKind != RefKind.None ? "it is a ref, out or in parameter"
                    : !IsInjectable(parameter.Type) ? $"its type '{parameter.Type.ToDisplayString()}' cannot come from dependency injection"
                    : null;
                if (problem is not null)
                {
                    report($"parameter '{parameter.Name}': {problem}");
                    continue;
                }

                parameters.Add(CreateServiceParameter(parameter));
            }

            return parameters.ToImmutableEquatableArray();
        }

        private static IMethodSymbol? Single(IEnumerable<IMethodSymbol> candidates)
        {
            IMethodSymbol[] array = candidates.Take(2).ToArray();
            return array.Length == 1 ? array[0] : null;
        }

        private static HandlerSpec? ParseHandler(
            IMethodSymbol method,
            AttributeData attribute,
            KnownTypeSymbols known,
            ParseState state,
            Location location,
            string path,
            ImmutableEquatableArray<string> routeParameters)
        {
            int errors = state.ErrorCount;
            string? eventName = attribute.ConstructorArguments is [{ Value: string value }] ? value : null;
            if (string.IsNullOrEmpty(eventName))
            {
                state.Report(DiagnosticDescriptors.InvalidEventName, location, method.Name, "it must be a non-empty string");
            }
            else if (eventName == "exception")
            {
                state.Report(DiagnosticDescriptors.ReservedEvent, location, method.Name);
            }

            if (method.IsGenericMethod)
            {
                state.Report(DiagnosticDescriptors.GenericHandler, location, method.Name);
            }

            if (method.IsAsync && method.ReturnsVoid)
            {
                state.Report(DiagnosticDescriptors.AsyncVoidHandler, location, method.Name);
            }

            var parameters = new List<ParameterSpec>();
            string? wholeBody = null;
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                ParameterSpec? spec = FromRouteAttribute(parameter, known) is { } fromRoute
                    ? ParseRouteParameter(parameter, fromRoute, method, known, state, path, routeParameters)
                    : ParseParameter(parameter, method, known, state);
                if (spec is { Kind: ParameterKind.MessageBody })
                {
                    // Every later whole-body parameter is reported against the first one.
                    if (wholeBody is not null)
                    {
                        state.Report(
                            DiagnosticDescriptors.DuplicateMessageBody, parameter.FirstLocation() ?? location, method.Name, wholeBody, parameter.Name);
                        continue;
                    }

                    wholeBody = parameter.Name;
                }

                if (spec is not null)
                {
                    parameters.Add(spec);
                }
            }

            ReturnKind returnKind = ParseReturn(method, known, state, location, out TypeRef? result, out bool isWsResponse);
            string? rateLimitPolicy = RateLimitPolicy(method, known, state) ?? RateLimitPolicy(method.ContainingType, known, state: null);
            ImmutableEquatableArray<AttributeSpec> authorization = ParseAuthorization(method, known, state);
            ComponentsSpec components = ParseComponents(method, known, state);
            if (state.ErrorCount != errors)
            {
                return null;
            }

            return new HandlerSpec(
                eventName!,
                method.Name,
                method.IsStatic,
                parameters.ToImmutableEquatableArray(),
                returnKind,
                result,
                isWsResponse,
                rateLimitPolicy,
                authorization,
                components);
        }

        /// <summary>
        /// The policy of the <c>[RateLimit]</c> on <paramref name="symbol"/>, if any; an empty one is reported (GW0018)
        /// when <paramref name="state"/> is given (a class's is reported once, by the class).
        /// </summary>
        private static string? RateLimitPolicy(ISymbol symbol, KnownTypeSymbols known, ParseState? state)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (!attribute.AttributeClass.Is(known.RateLimitAttribute))
                {
                    continue;
                }

                string? policy = attribute.ConstructorArguments is [{ Value: string value }] ? value : null;
                if (string.IsNullOrWhiteSpace(policy))
                {
                    state?.Report(
                        DiagnosticDescriptors.EmptyPolicyName,
                        AttributeLocation(attribute, symbol),
                        "RateLimit",
                        symbol.Name,
                        "name a limiter of RateLimiting.Policies, e.g. [RateLimit(\"chat\")]");
                    return null;
                }

                return policy;
            }

            return null;
        }

        private static Location AttributeLocation(AttributeData attribute, ISymbol symbol) =>
            attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? symbol.FirstLocation() ?? Location.None;

        private static ParameterSpec? ParseParameter(IParameterSymbol parameter, IMethodSymbol method, KnownTypeSymbols known, ParseState state)
        {
            Location location = parameter.FirstLocation() ?? method.FirstLocation() ?? Location.None;
            ITypeSymbol type = parameter.Type;
            if (parameter.RefKind != RefKind.None)
            {
                return Unsupported("ref, out and in parameters cannot be bound");
            }

            AttributeData? body = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass.Is(known.MessageBodyAttribute));
            if (body is not null)
            {
                if (NonJsonKind(type, known) is { } nonJson)
                {
                    return Unsupported(
                        $"the type '{type.ToDisplayString()}' is {nonJson}, which cannot be received as JSON; bind a type that describes the data, such as a record, or byte[] for raw bytes");
                }

                if (!IsSerializable(type))
                {
                    return Unsupported($"the type '{type.ToDisplayString()}' cannot be read from JSON; use a concrete type, or JsonElement for untyped data");
                }

                string? property = body.ConstructorArguments is [{ Value: string name }] ? name : null;
                return new ParameterSpec(
                    parameter.Name,
                    property is null ? ParameterKind.MessageBody : ParameterKind.MessageBodyProperty,
                    state.JsonType(type, location),
                    property,
                    AllowsNull: AllowsNull(type),
                    ValidateAs: ParseValidation(parameter, method, known, state, location));
            }

            ParameterKind? special = type.Is(known.GatewayClient) ? ParameterKind.Client
                : type.Is(known.CancellationToken) ? ParameterKind.CancellationToken
                : type.Is(known.HttpContext) ? ParameterKind.HttpContext
                : type.Is(known.ClaimsPrincipal) ? ParameterKind.User
                : null;
            if (special is { } kind)
            {
                return new ParameterSpec(parameter.Name, kind, CreateTypeRef(type), null);
            }

            bool fromServices = parameter.GetAttributes().Any(a => a.AttributeClass.Is(known.FromServicesAttribute));
            if (!fromServices && LooksLikePayload(type, known))
            {
                return Unsupported(
                    "it has no binding source; add [MessageBody] to bind the message data, or [MessageBody(\"name\")] to bind one property of it",
                    DiagnosticProperties.MessageBodyFix);
            }

            ITypeSymbol serviceType = type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                && type is INamedTypeSymbol { TypeArguments: [ITypeSymbol underlying] } ? underlying : type;
            if (!fromServices && IsInjectable(type) && !IsImplicitService(serviceType))
            {
                string what = serviceType.IsRecord ? "a record" : serviceType.IsValueType ? "a struct" : "a concrete class";
                bool canBeData = NonJsonKind(type, known) is null;
                state.Report(
                    DiagnosticDescriptors.ParameterNeedsBindingSource,
                    location,
                    canBeData ? DiagnosticProperties.MessageBodyOrFromServicesFix : DiagnosticProperties.FromServicesFix,
                    parameter.Name,
                    method.Name,
                    $"'{type.ToDisplayString()}' is {what}, and only interfaces, abstract classes and delegates are resolved from it implicitly; "
                        + (canBeData
                            ? "add [MessageBody] to bind the message data, or [FromServices] if it is a registered service"
                            : "add [FromServices] if it is a registered service"));
                return null;
            }

            if (!IsInjectable(type))
            {
                return Unsupported($"the type '{type.ToDisplayString()}' cannot come from dependency injection");
            }

            return CreateServiceParameter(parameter);

            ParameterSpec? Unsupported(string reason, ImmutableDictionary<string, string?>? properties = null)
            {
                state.Report(DiagnosticDescriptors.UnsupportedParameter, location, properties, parameter.Name, method.Name, reason);
                return null;
            }
        }

        private static ReturnKind ParseReturn(
            IMethodSymbol method, KnownTypeSymbols known, ParseState state, Location location, out TypeRef? result, out bool isWsResponse)
        {
            result = null;
            isWsResponse = false;
            ITypeSymbol type = method.ReturnType;
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                Unsupported("results returned by reference cannot be sent");
                return ReturnKind.Void;
            }

            if (type.SpecialType == SpecialType.System_Void)
            {
                return ReturnKind.Void;
            }

            if (SymbolEqualityComparer.Default.Equals(type, known.Task))
            {
                return ReturnKind.Task;
            }

            if (SymbolEqualityComparer.Default.Equals(type, known.ValueTask))
            {
                return ReturnKind.ValueTask;
            }

            ReturnKind kind = ReturnKind.Value;
            ITypeSymbol element = type;
            if (type is INamedTypeSymbol { TypeArguments: [ITypeSymbol argument] })
            {
                if (type.Is(known.TaskOfT))
                {
                    (kind, element) = (ReturnKind.TaskOfValue, argument);
                }
                else if (type.Is(known.ValueTaskOfT))
                {
                    (kind, element) = (ReturnKind.ValueTaskOfValue, argument);
                }
                else if (type.Is(known.AsyncEnumerable))
                {
                    (kind, element) = (ReturnKind.AsyncEnumerable, argument);
                }
            }

            if (kind != ReturnKind.Value && IsAsyncShape(element, known))
            {
                Unsupported("an asynchronous result inside another one is never awaited; return a single Task<T>, ValueTask<T> or IAsyncEnumerable<T>");
                return kind;
            }

            if (kind == ReturnKind.Value && IsAsyncShape(element, known))
            {
                Unsupported("only Task, ValueTask, Task<T>, ValueTask<T> and IAsyncEnumerable<T> are awaited");
                return kind;
            }

            if (element is INamedTypeSymbol { TypeArguments: [ITypeSymbol data] } && element.Is(known.WsResponse))
            {
                isWsResponse = true;
                element = data;
            }

            if (NonJsonKind(element, known) is { } nonJson)
            {
                Unsupported($"'{element.ToDisplayString()}' is {nonJson}, which cannot be sent as JSON; return a type that describes the data");
                return kind;
            }

            if (!IsSerializable(element))
            {
                Unsupported($"'{element.ToDisplayString()}' has no compile-time JSON shape; return a concrete type, or JsonElement for untyped data");
                return kind;
            }

            result = state.JsonType(element, location);
            return kind;

            void Unsupported(string reason) =>
                state.Report(DiagnosticDescriptors.UnsupportedReturnType, location, method.Name, type.ToDisplayString(), reason);
        }

        private static bool IsAsyncShape(ITypeSymbol type, KnownTypeSymbols known) =>
            type.Is(known.Task) || type.Is(known.TaskOfT) || type.Is(known.ValueTask) || type.Is(known.ValueTaskOfT)
            || type.Is(known.AsyncEnumerable);

        private static bool IsSerializable(ITypeSymbol type) =>
            type.SpecialType != SpecialType.System_Object
            && type.TypeKind is not (TypeKind.Dynamic or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error)
            && !type.IsRefLikeType
            && type.SpecialType != SpecialType.System_Void;

        private static bool IsInjectable(ITypeSymbol type) =>
            type.TypeKind is not (TypeKind.Dynamic or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.FunctionPointer)
            && !type.IsRefLikeType;

        /// <summary>Types that are data, never services: binding them from DI is certainly a forgotten [MessageBody].</summary>
        private static bool LooksLikePayload(ITypeSymbol type, KnownTypeSymbols known)
        {
            if (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T && type is INamedTypeSymbol { TypeArguments: [ITypeSymbol inner] })
            {
                type = inner;
            }

            return type.SpecialType != SpecialType.None
                || type.TypeKind is TypeKind.Enum or TypeKind.Array
                || type.Is(known.JsonElement)
                || type.Is(known.WsResponse);
        }

        private static ParameterSpec CreateServiceParameter(IParameterSymbol parameter)
        {
            TypeRef type = CreateTypeRef(parameter.Type);
            if (parameter.HasExplicitDefaultValue)
            {
                return new ParameterSpec(parameter.Name, ParameterKind.OptionalService, type, null, DefaultValueLiteral(parameter));
            }

            ParameterKind kind = parameter.NullableAnnotation == NullableAnnotation.Annotated
                ? ParameterKind.OptionalService
                : ParameterKind.RequiredService;
            return new ParameterSpec(parameter.Name, kind, type, null);
        }

        /// <summary>The parameter's default value as a C# expression of its type.</summary>
        private static string DefaultValueLiteral(IParameterSymbol parameter)
        {
            object? value = parameter.ExplicitDefaultValue;
            if (value is null)
            {
                return "default";
            }

            string literal = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
            return $"({parameter.Type.ToAnnotatedName()})({literal})";
        }

        private static TypeRef CreateTypeRef(ITypeSymbol type) =>
            new(type.ToAnnotatedName(), type.ToMetadataKey(), type.ToIdentifier(), type.CanBeNull());

        /// <summary>
        /// Whether the parameter declares that it takes null: <c>int?</c>, <c>Point?</c>, or a reference type in code
        /// without nullable annotations. A missing or null <c>data</c> for any other parameter is an invalid payload.
        /// </summary>
        private static bool AllowsNull(ITypeSymbol type) =>
            type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
            || (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated);

        /// <summary>Diagnostics and JSON usages collected while parsing one gateway.</summary>
        private sealed class ParseState(string gatewayName)
        {
            public string GatewayName { get; } = gatewayName;

            public ImmutableArray<Diagnostic>.Builder Diagnostics { get; } = ImmutableArray.CreateBuilder<Diagnostic>();

            /// <summary>The types needing JSON metadata, each once, in order of first use.</summary>
            public List<JsonTypeSpec> JsonTypes { get; } = [];

            public ImmutableArray<JsonTypeUsage>.Builder JsonUsages { get; } = ImmutableArray.CreateBuilder<JsonTypeUsage>();

            // Warnings (GW0020) leave the gateway generated.
            public int ErrorCount => Diagnostics.Count(static d => d.Severity == DiagnosticSeverity.Error);

            public bool HasErrors => ErrorCount > 0;

            public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] args) =>
                Diagnostics.Add(Diagnostic.Create(descriptor, location, args));

            /// <summary>Reports with the properties a code fix needs (<see cref="DiagnosticProperties"/>).</summary>
            public void Report(
                DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?>? properties, params object?[] args) =>
                Diagnostics.Add(Diagnostic.Create(descriptor, location, properties, args));

            /// <summary>
            /// The <see cref="TypeRef"/> of a payload or result type, recorded as needing JSON metadata: the one place
            /// that decides which types the resolver binds (and reports when it cannot).
            /// </summary>
            public TypeRef JsonType(ITypeSymbol type, Location location)
            {
                TypeRef typeRef = CreateTypeRef(type);
                if (!JsonTypes.Any(t => t.Type.MetadataKey == typeRef.MetadataKey))
                {
                    JsonTypes.Add(new JsonTypeSpec(typeRef, type.ToDisplayString()));
                }

                JsonUsages.Add(new JsonTypeUsage(typeRef.MetadataKey, location));
                return typeRef;
            }
        }
    }
}
