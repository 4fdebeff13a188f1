using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    /// <summary>Writes the generated source of a <see cref="ResolvedGatewaySpec"/> and of the project's registration.</summary>
    internal static partial class Emitter
    {
        private const string ValueTask = "global::System.Threading.Tasks.ValueTask";
        private const string Message = "global::Gateway.Infrastructure.GatewayMessage";
        private const string ServiceProviderExtensions = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";
        private const string AsyncEnumerableExtensions = "global::System.Threading.Tasks.TaskAsyncEnumerableExtensions";
        private const string DefinitionClass = "GeneratedGatewayDefinition";
        private const string JsonClass = "GatewayJsonMetadata";

        /// <summary>The generated field that holds the JSON metadata of <paramref name="type"/>.</summary>
        private static string Metadata(TypeRef type, Dictionary<string, JsonMetadataSpec> json) => $"{JsonClass}.{json[type.MetadataKey].FieldName}";

        internal static readonly string s_generatedCode =
            $"[global::System.CodeDom.Compiler.GeneratedCode(\"Gateway.Generators\", \"{typeof(GatewayGenerator).Assembly.GetName().Version}\")]";

        // Hint names allow no '@', which escaped namespaces (namespace @class) contain.
        public static string HintName(GatewaySpec gateway) =>
            ((gateway.Namespace is null ? gateway.ClassName : $"{gateway.Namespace}.{gateway.ClassName}") + ".Gateway.g.cs").Replace("@", "");

        public static SourceText EmitGateway(ResolvedGatewaySpec resolved)
        {
            GatewaySpec gateway = resolved.Gateway;
            Dictionary<string, JsonMetadataSpec> json = resolved.JsonMetadata.ToDictionary(static m => m.Type.MetadataKey, System.StringComparer.Ordinal);
            SourceWriter writer = StartFile(gateway.Namespace);
            string self = gateway.FullyQualifiedName;
            string events = string.Join(", ", gateway.Handlers.Select(static h => Literal(h.Event)));
            // Only gateways with rate-limited handlers pass the policies, by handler number.
            string policies = gateway.Handlers.Any(static h => h.RateLimitPolicy is not null)
                ? ", [" + string.Join(", ", gateway.Handlers.Select(static h => h.RateLimitPolicy is { } p ? Literal(p) : "null")) + "]"
                : "";
            writer.WriteLine($$"""
                partial class {{Identifier(gateway.ClassName)}} : global::Gateway.Infrastructure.IWebSocketGateway<{{self}}>
                {
                    /// <summary>The compiled dispatch table of this gateway.</summary>
                    static global::Gateway.Infrastructure.GatewayDefinition<{{self}}> global::Gateway.Infrastructure.IWebSocketGateway<{{self}}>.Definition => {{DefinitionClass}}.Instance;

                    {{s_generatedCode}}
                    private sealed class {{DefinitionClass}} : global::Gateway.Infrastructure.GatewayDefinition<{{self}}>
                    {
                        public static readonly {{DefinitionClass}} Instance = new();

                        private {{DefinitionClass}}()
                            : base({{Literal(gateway.ClassName)}}, {{Literal(gateway.Path)}}, [{{events}}]{{policies}})
                        {
                        }

                """);
            writer.Indentation += 2;
            EmitHandlerNames(writer, gateway);
            if (gateway.PerConnection)
            {
                writer.WriteLine("/// <summary>Each connection gets an instance of its own, from a DI scope of the connection.</summary>");
                writer.WriteLine("public override global::Gateway.GatewayLifetime Lifetime => global::Gateway.GatewayLifetime.Connection;");
                writer.WriteLine();
            }

            if (gateway.Port is int port)
            {
                writer.WriteLine("/// <summary>The only port the gateway is served on.</summary>");
                writer.WriteLine($"public override int? Port => {port};");
                writer.WriteLine();
            }

            if (gateway.SocketIONamespace is { } socketIONamespace)
            {
                writer.WriteLine("/// <summary>The Socket.IO namespace the gateway serves.</summary>");
                writer.WriteLine($"public override string SocketIONamespace => {Literal(socketIONamespace)};");
                writer.WriteLine();
            }

            EmitAuthorization(writer, gateway);
            EmitComponents(writer, gateway);
            EmitValidatedTypes(writer, gateway);
            EmitOperations(writer, gateway, json);
            EmitCreate(writer, gateway);
            EmitFindHandler(writer, gateway);
            EmitInvoke(writer, gateway);
            writer.WriteLine();
            EmitCall(writer, gateway);
            writer.WriteLine();
            EmitSendResult(writer, gateway, json);
            List<string> methodNames = HandlerMethodNames(gateway);
            for (int i = 0; i < gateway.Handlers.Count; i++)
            {
                writer.WriteLine();
                EmitHandler(writer, gateway, gateway.Handlers[i], methodNames[i], json);
                writer.WriteLine();
                EmitCallHandler(writer, gateway, gateway.Handlers[i], methodNames[i], json);
                if (gateway.Handlers[i].ReturnKind == ReturnKind.AsyncEnumerable)
                {
                    writer.WriteLine();
                    EmitSendItems(writer, gateway.Handlers[i], methodNames[i], json);
                }
            }

            writer.Indentation -= 2;
            writer.WriteLine("""
                    }
                }
                """);
            EmitJsonMetadata(writer, resolved.JsonMetadata);
            return writer.ToSourceText();
        }

        /// <summary>A writer with the generated-file header and, when there is one, the file-scoped namespace.</summary>
        internal static SourceWriter StartFile(string? @namespace)
        {
            var writer = new SourceWriter();
            writer.WriteLine("""
                // <auto-generated/>
                #nullable enable

                """);
            if (@namespace is not null)
            {
                writer.WriteLine($"namespace {@namespace};");
                writer.WriteLine();
            }

            return writer;
        }

        /// <summary>The generated registration type of an assembly (public, so that referencing projects can call it).</summary>
        public static string RegistrationTypeName(RegistrationSpec registration) =>
            "global::Gateway.Infrastructure.GeneratedGateways_" + registration.AssemblyIdentifier;

        /// <summary>
        /// The project's <c>AddGateways()</c>, which adds its own gateways and those of every referenced assembly that
        /// has some; and, when the project has gateways, its public registration type and the assembly attribute that
        /// names it, for the projects that reference this one.
        /// </summary>
        public static SourceText EmitRegistration(ImmutableEquatableArray<string> gateways, RegistrationSpec registration)
        {
            var writer = new SourceWriter();
            string own = RegistrationTypeName(registration);
            var registrations = new List<string>();
            if (gateways.Count > 0)
            {
                registrations.Add(own);
            }

            registrations.AddRange(registration.ReferencedRegistrations.Where(r => r != own));
            string list = gateways.Count == 0 ? "none" : string.Join(", ", gateways.Select(static g => g.Replace("global::", "")));
            string referenced = registration.ReferencedRegistrations.Count == 0
                ? ""
                : "; and the gateways of the referenced assemblies that have some";
            writer.WriteLine("""
                // <auto-generated/>
                #nullable enable

                """);
            if (gateways.Count > 0)
            {
                writer.WriteLine($"[assembly: global::Gateway.Infrastructure.GatewayAssemblyAttribute(typeof({own}))]");
                writer.WriteLine();
            }

            writer.WriteLine($$"""
                namespace Microsoft.Extensions.DependencyInjection
                {
                    /// <summary>Registers the WebSocket gateways of this project.</summary>
                    {{s_generatedCode}}
                    internal static class GatewayServiceCollectionGeneratedExtensions
                    {
                        /// <summary>Adds Gateway's services and every gateway of this project ({{list}}){{referenced}}.</summary>
                        /// <param name="services">The application's services.</param>
                        /// <param name="configure">Configures the gateway options.</param>
                        public static global::Gateway.IGatewayBuilder AddGateways(
                            this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services,
                            global::System.Action<global::Gateway.GatewayOptions>? configure = null)
                        {
                            global::Gateway.IGatewayBuilder builder =
                                global::Microsoft.Extensions.DependencyInjection.GatewayServiceCollectionExtensions.AddGatewayCore(services, configure);
                """);
            writer.Indentation += 3;
            foreach (string type in registrations)
            {
                writer.WriteLine($"{type}.AddGateways(builder);");
            }

            writer.Indentation -= 3;
            writer.WriteLine("""
                            return builder;
                        }
                    }
                }
                """);
            if (gateways.Count == 0)
            {
                return writer.ToSourceText();
            }

            writer.WriteLine($$"""

                namespace Gateway.Infrastructure
                {
                    /// <summary>Adds the gateways of this assembly ({{list}}); the <c>AddGateways()</c> of every project that references it calls this.</summary>
                    [global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
                    {{s_generatedCode}}
                    public static class GeneratedGateways_{{registration.AssemblyIdentifier}}
                    {
                        /// <summary>Adds the gateways of this assembly to <paramref name="builder"/>.</summary>
                        /// <param name="builder">The application's gateway builder.</param>
                        public static void AddGateways(global::Gateway.IGatewayBuilder builder)
                        {
                            global::System.ArgumentNullException.ThrowIfNull(builder);
                """);
            writer.Indentation += 3;
            foreach (string gateway in gateways)
            {
                writer.WriteLine($"builder.AddGateway<{gateway}>();");
            }

            writer.Indentation -= 3;
            writer.WriteLine("""
                        }
                    }
                }
                """);
            return writer.ToSourceText();
        }

        private static void EmitCreate(SourceWriter writer, GatewaySpec gateway)
        {
            writer.WriteLine($"public override {gateway.FullyQualifiedName} Create(global::System.IServiceProvider services)");
            writer.OpenBlock();
            if (gateway.ConstructorParameters.Count == 0)
            {
                writer.WriteLine($"return new {gateway.FullyQualifiedName}();");
            }
            else
            {
                writer.WriteLine($"return new {gateway.FullyQualifiedName}(");
                writer.Indentation++;
                EmitArguments(writer, ConstructorArguments(gateway.ConstructorParameters));
                writer.Indentation--;
            }

            writer.CloseBlock();
            writer.WriteLine();
        }

        /// <summary>A constructor's services, each resolved from <c>services</c> (the root provider).</summary>
        private static IEnumerable<string> ConstructorArguments(ImmutableEquatableArray<ParameterSpec> parameters) =>
            parameters.Select(static p => p switch
            {
                { DefaultValue: { } value } => $"GetServiceOrDefault<{p.Type.FullyQualifiedName}>(services, {value})",
                { Kind: ParameterKind.OptionalService } => $"{ServiceProviderExtensions}.GetService<{p.Type.FullyQualifiedName}>(services)",
                _ => $"{ServiceProviderExtensions}.GetRequiredService<{p.Type.FullyQualifiedName}>(services)",
            });

        private static void EmitFindHandler(SourceWriter writer, GatewaySpec gateway)
        {
            writer.WriteLine("""
                /// <summary>Finds the handler of an event by its UTF-8 bytes: a switch on the length, then byte comparisons.</summary>
                public override int FindHandler(global::System.ReadOnlySpan<byte> utf8EventName) => utf8EventName.Length switch
                {
                """);
            writer.Indentation++;
            // Arms grouped by length, as the comment says, then ordinal; the value stays the handler number.
            foreach ((string name, int length, int handler) in gateway.Handlers
                .Select(static (h, i) => (h.Event, System.Text.Encoding.UTF8.GetByteCount(h.Event), i))
                .OrderBy(static a => a.Item2)
                .ThenBy(static a => a.Event, System.StringComparer.Ordinal)
                .ThenBy(static a => a.i))
            {
                writer.WriteLine($"{length} when global::System.MemoryExtensions.SequenceEqual(utf8EventName, {Literal(name)}u8) => {handler},");
            }

            writer.WriteLine("_ => -1,");
            writer.Indentation--;
            writer.WriteLine("};");
            writer.WriteLine();
        }

        private static void EmitInvoke(SourceWriter writer, GatewaySpec gateway)
        {
            writer.WriteLine($$"""
                public override {{ValueTask}} InvokeAsync({{gateway.FullyQualifiedName}} gateway, int handler, {{Message}} message) => handler switch
                {
                """);
            writer.Indentation++;
            List<string> names = HandlerMethodNames(gateway);
            for (int i = 0; i < gateway.Handlers.Count; i++)
            {
                writer.WriteLine($"{i} => {names[i]}(gateway, message), // {Literal(gateway.Handlers[i].Event)}");
            }

            writer.WriteLine("_ => throw new global::System.ArgumentOutOfRangeException(nameof(handler)),");
            writer.Indentation--;
            writer.WriteLine("};");
        }

        private static void EmitHandler(
            SourceWriter writer, GatewaySpec gateway, HandlerSpec handler, string methodName, Dictionary<string, JsonMetadataSpec> json)
        {
            bool validated = IsValidated(handler);
            bool isAsync = validated || handler.ReturnKind is ReturnKind.TaskOfValue or ReturnKind.ValueTaskOfValue;
            // An overloaded name would make the cref ambiguous (CS0419).
            string method = gateway.Handlers.Count(h => h.MethodName == handler.MethodName) == 1
                ? $"<see cref=\"{gateway.FullyQualifiedName}.{Identifier(handler.MethodName)}\"/>"
                : $"<c>{handler.MethodName}</c>";
            writer.WriteLine($"/// <summary>Handles \"{Escape(handler.Event)}\" with {method}.</summary>");
            writer.WriteLine($"private static {(isAsync ? "async " : "")}{ValueTask} {methodName}({gateway.FullyQualifiedName} gateway, {Message} message)");
            writer.OpenBlock();
            string target = handler.IsStatic ? gateway.FullyQualifiedName : "gateway";
            string call = $"{target}.{Identifier(handler.MethodName)}(";
            string[] arguments = BindArguments(writer, handler, json);
            string reply = handler.ResultIsWsResponse ? "ReplyEventAsync" : "ReplyAsync";
            string sent = WsResponseSuffix(handler);
            string? metadata = handler.Result is null ? null : Metadata(handler.Result, json);

            switch (handler.ReturnKind)
            {
                case ReturnKind.Void:
                    WriteCall(writer, call, arguments, prefix: "", suffix: ";");
                    if (!isAsync)
                    {
                        writer.WriteLine("return default;");
                    }

                    break;
                case ReturnKind.Task:
                    WriteCall(writer, call, arguments, prefix: isAsync ? "await " : $"return new {ValueTask}(", suffix: isAsync ? ".ConfigureAwait(false);" : ");");
                    break;
                case ReturnKind.ValueTask:
                    WriteCall(writer, call, arguments, prefix: isAsync ? "await " : "return ", suffix: isAsync ? ".ConfigureAwait(false);" : ";");
                    break;
                case ReturnKind.Value or ReturnKind.TaskOfValue or ReturnKind.ValueTaskOfValue:
                    bool awaited = handler.ReturnKind != ReturnKind.Value;
                    WriteCall(writer, call, arguments, prefix: awaited ? "var result = await " : "var result = ", suffix: awaited ? ".ConfigureAwait(false);" : ";");
                    if (CanBeNull(handler))
                    {
                        writer.WriteLine($$"""
                            if (result is null)
                            {
                                return{{(isAsync ? "" : " default")}};
                            }

                            """);
                    }

                    writer.WriteLine(isAsync
                        ? $"await message.{reply}(result{sent}, {metadata}).ConfigureAwait(false);"
                        : $"return message.{reply}(result{sent}, {metadata});");
                    break;
                case ReturnKind.AsyncEnumerable:
                    WriteCall(writer, call, arguments, prefix: $"{(isAsync ? "await " : "return ")}{SendItemsName(methodName)}(", suffix: isAsync ? ", message).ConfigureAwait(false);" : ", message);");
                    break;
            }

            writer.CloseBlock();
        }

        /// <summary>
        /// The handler's arguments. A handler with a validated payload first binds each argument to a local, in
        /// order, validating each payload right after reading it, as NestJS's pipes run per parameter.
        /// </summary>
        private static string[] BindArguments(SourceWriter writer, HandlerSpec handler, Dictionary<string, JsonMetadataSpec> json)
        {
            if (!IsValidated(handler))
            {
                return handler.Parameters.Select(p => ArgumentFor(p, json)).ToArray();
            }

            var locals = new string[handler.Parameters.Count];
            for (int i = 0; i < locals.Length; i++)
            {
                ParameterSpec parameter = handler.Parameters[i];
                locals[i] = parameter.Name + "Argument";
                writer.WriteLine($"var {locals[i]} = {ArgumentFor(parameter, json)};");
                if (parameter.ValidateAs is { } name)
                {
                    writer.WriteLine(
                        $"await message.ValidateAsync({locals[i]}, {Literal(name)}, {Metadata(parameter.Type, json)}.Options).ConfigureAwait(false);");
                }
            }

            return locals;
        }

        private static bool IsValidated(HandlerSpec handler) => handler.Parameters.Any(static p => p.ValidateAs is not null);

        // A WsResponse<T> is a struct: only plain values can be null.
        private static bool CanBeNull(HandlerSpec handler) => !handler.ResultIsWsResponse && handler.Result is { CanBeNull: true };

        private static void WriteCall(SourceWriter writer, string call, string[] arguments, string prefix, string suffix)
        {
            if (arguments.Length == 0)
            {
                writer.WriteLine($"{prefix}{call}){suffix}");
                return;
            }

            writer.WriteLine($"{prefix}{call}");
            writer.Indentation++;
            for (int i = 0; i < arguments.Length; i++)
            {
                writer.WriteLine(arguments[i] + (i < arguments.Length - 1 ? "," : $"){suffix}"));
            }

            writer.Indentation--;
        }

        private static void EmitArguments(SourceWriter writer, IEnumerable<string> arguments)
        {
            string[] list = arguments.ToArray();
            for (int i = 0; i < list.Length; i++)
            {
                writer.WriteLine(list[i] + (i < list.Length - 1 ? "," : ");"));
            }
        }

        private static string ArgumentFor(ParameterSpec parameter, Dictionary<string, JsonMetadataSpec> json) => parameter.Kind switch
        {
            // A parameter that takes null gets it for a missing or null "data", as NestJS passes undefined; any other
            // parameter is read with the Required variant, which makes that an invalid payload.
            ParameterKind.MessageBody =>
                $"message.{(parameter.AllowsNull ? "ReadData" : "ReadRequiredData")}({Metadata(parameter.Type, json)})",
            ParameterKind.MessageBodyProperty =>
                $"message.{(parameter.AllowsNull ? "ReadDataProperty" : "ReadRequiredDataProperty")}("
                + $"{Literal(parameter.PropertyName!)}u8, {Metadata(parameter.Type, json)})",
            ParameterKind.Route when parameter.Type.MetadataKey == "string" =>
                $"message.{(parameter.AllowsNull ? "RouteValue" : "RequiredRouteValue")}({Literal(parameter.PropertyName!)})",
            ParameterKind.Route => $"message.ParseRouteValue<{parameter.Type.FullyQualifiedName}>({Literal(parameter.PropertyName!)})",
            ParameterKind.Client => "message.Client",
            ParameterKind.CancellationToken => "message.ConnectionAborted",
            ParameterKind.HttpContext => "message.HttpContext",
            ParameterKind.User => "message.Client.User",
            ParameterKind.OptionalService when parameter.DefaultValue is { } value =>
                $"message.GetServiceOrDefault<{parameter.Type.FullyQualifiedName}>({value})",
            ParameterKind.OptionalService => $"message.GetService<{parameter.Type.FullyQualifiedName}>()",
            _ => $"message.GetRequiredService<{parameter.Type.FullyQualifiedName}>()",
        };

        private static List<string> HandlerMethodNames(GatewaySpec gateway)
        {
            // The other generated names are "Call" or "Send" + the same suffix, so these keep them clear of the members.
            var used = new HashSet<string>(System.StringComparer.Ordinal) { "HandleAsync", "HandleResultAsync", "HandlerNames", "HandlerComponents", "HandlerAuthorization" };
            var names = new List<string>();
            foreach (HandlerSpec handler in gateway.Handlers)
            {
                string name = "Handle" + handler.MethodName;
                for (int i = 2; !used.Add(name); i++)
                {
                    name = "Handle" + handler.MethodName + i;
                }

                names.Add(name);
            }

            return names;
        }

        internal static void EmitJsonMetadata(SourceWriter writer, ImmutableEquatableArray<JsonMetadataSpec> metadata)
        {
            if (metadata.Count == 0)
            {
                return;
            }

            writer.WriteLine($$"""

                /// <summary>The JSON metadata of the types this file sends and receives, bound once from existing contexts.</summary>
                file static class {{JsonClass}}
                {
                """);
            writer.Indentation++;
            foreach (JsonMetadataSpec spec in metadata)
            {
                string type = spec.Type.MetadataKey;
                writer.WriteLine($"public static readonly global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}> {spec.FieldName} =");
                // The resolver bound the type to this context, so a null here means the context changed: say so.
                writer.WriteLine($"    (global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}>)({spec.ContextName}.Default.GetTypeInfo(typeof({type}))");
                writer.WriteLine($"        ?? throw new global::System.InvalidOperationException({Literal($"{spec.ContextName.Replace("global::", "")} has no JSON metadata for {type.Replace("global::", "")}.")}));");
            }

            writer.Indentation--;
            writer.WriteLine("}");
        }

        /// <summary>A name as a C# identifier: keywords get an '@' (a class named <c>event</c>).</summary>
        internal static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

        internal static string Literal(string value) =>
            SymbolDisplay.FormatLiteral(value, quote: true);

        internal static string Escape(string value) =>
            value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
    }
}
