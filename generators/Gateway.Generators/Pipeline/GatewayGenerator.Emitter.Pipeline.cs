using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Emitter
    {
        private const string ObjectValueTask = "global::System.Threading.Tasks.ValueTask<object?>";

        private static void EmitHandlerNames(SourceWriter writer, GatewaySpec gateway)
        {
            writer.WriteLine("/// <summary>The method name of each handler, by handler number.</summary>");
            writer.WriteLine(
                "public override global::System.Collections.Generic.IReadOnlyList<string> HandlerNames { get; } = "
                + $"[{string.Join(", ", gateway.Handlers.Select(static h => Literal(h.MethodName)))}];");
            writer.WriteLine();
        }

        /// <summary>
        /// The guards, interceptors and exception filters of <c>[UseGuards]</c>, <c>[UseInterceptors]</c> and
        /// <c>[UseFilters]</c>, each with the code that constructs it; nothing is emitted for a gateway without any.
        /// </summary>
        private static void EmitComponents(SourceWriter writer, GatewaySpec gateway)
        {
            if (!gateway.Components.IsEmpty)
            {
                writer.WriteLine("/// <summary>The class's guards, interceptors and exception filters, around each of its handlers.</summary>");
                writer.WriteLine("public override global::Gateway.Infrastructure.GatewayComponents? Components { get; } =");
                writer.Indentation++;
                WriteComponents(writer, gateway.Components, ";");
                writer.Indentation--;
                writer.WriteLine();
            }

            if (gateway.Handlers.All(static h => h.Components.IsEmpty))
            {
                return;
            }

            writer.WriteLine("/// <summary>Each handler's own guards, interceptors and exception filters, by handler number.</summary>");
            writer.WriteLine("public override global::Gateway.Infrastructure.GatewayComponents?[]? HandlerComponents { get; } =");
            writer.WriteLine("[");
            writer.Indentation++;
            foreach (HandlerSpec handler in gateway.Handlers)
            {
                if (handler.Components.IsEmpty)
                {
                    writer.WriteLine($"null, // {Literal(handler.Event)}");
                }
                else
                {
                    writer.WriteLine($"// {Literal(handler.Event)}");
                    WriteComponents(writer, handler.Components, ",");
                }
            }

            writer.Indentation--;
            writer.WriteLine("];");
            writer.WriteLine();
        }

        private static void WriteComponents(SourceWriter writer, ComponentsSpec components, string terminator)
        {
            writer.WriteLine("new(");
            writer.Indentation++;
            writer.WriteLine($"guards: {ComponentList(components.Guards)},");
            writer.WriteLine($"interceptors: {ComponentList(components.Interceptors)},");
            writer.WriteLine($"filters: {ComponentList(components.Filters)}){terminator}");
            writer.Indentation--;
        }

        private static string ComponentList(ImmutableEquatableArray<ComponentSpec> components) =>
            "[" + string.Join(", ", components.Select(static c =>
                $"new(typeof({c.FullyQualifiedType}), static services => new {c.FullyQualifiedType}({string.Join(", ", ConstructorArguments(c.ConstructorParameters))}))")) + "]";

        private static void EmitCall(SourceWriter writer, GatewaySpec gateway)
        {
            writer.WriteLine($$"""
                /// <summary>Calls a handler and returns its result unsent: the form that interceptors wrap.</summary>
                public override {{ObjectValueTask}} CallAsync({{gateway.FullyQualifiedName}} gateway, int handler, {{Message}} message) => handler switch
                {
                """);
            writer.Indentation++;
            List<string> names = HandlerMethodNames(gateway);
            for (int i = 0; i < gateway.Handlers.Count; i++)
            {
                writer.WriteLine($"{i} => {CallName(names[i])}(gateway, message), // {Literal(gateway.Handlers[i].Event)}");
            }

            writer.WriteLine("_ => throw new global::System.ArgumentOutOfRangeException(nameof(handler)),");
            writer.Indentation--;
            writer.WriteLine("};");
        }

        /// <summary>Sends a result as its handler would; handlers that return nothing are left to the base, which refuses.</summary>
        private static void EmitSendResult(SourceWriter writer, GatewaySpec gateway, Dictionary<string, JsonMetadataSpec> json)
        {
            writer.WriteLine($$"""
                /// <summary>Sends a result of a handler's result type (its own, or an interceptor's) as the handler would.</summary>
                public override {{ValueTask}} SendResultAsync(int handler, object result, {{Message}} message) => handler switch
                {
                """);
            writer.Indentation++;
            List<string> names = HandlerMethodNames(gateway);
            for (int i = 0; i < gateway.Handlers.Count; i++)
            {
                HandlerSpec handler = gateway.Handlers[i];
                if (handler.Result is not { } result)
                {
                    continue;
                }

                string metadata = Metadata(result, json);
                string send = handler.ReturnKind == ReturnKind.AsyncEnumerable
                    ? $"{SendItemsName(names[i])}((global::System.Collections.Generic.IAsyncEnumerable<{ItemType(handler)}>)result, message)"
                    : handler.ResultIsWsResponse
                        ? $"message.ReplyEventAsync((global::Gateway.WsResponse<{result.MetadataKey}>)result, {metadata})"
                        : $"message.ReplyAsync(({result.MetadataKey})result, {metadata})";
                writer.WriteLine($"{i} => {send}, // {Literal(handler.Event)}");
            }

            writer.WriteLine("_ => base.SendResultAsync(handler, result, message),");
            writer.Indentation--;
            writer.WriteLine("};");
        }

        private static void EmitCallHandler(
            SourceWriter writer, GatewaySpec gateway, HandlerSpec handler, string methodName, Dictionary<string, JsonMetadataSpec> json)
        {
            bool isAsync = IsValidated(handler) || handler.ReturnKind is ReturnKind.Task or ReturnKind.ValueTask or ReturnKind.TaskOfValue or ReturnKind.ValueTaskOfValue;
            writer.WriteLine($"/// <summary>Calls the handler of \"{Escape(handler.Event)}\" and returns its result unsent.</summary>");
            writer.WriteLine(
                $"private static {(isAsync ? "async " : "")}{ObjectValueTask} {CallName(methodName)}({gateway.FullyQualifiedName} gateway, {Message} message)");
            writer.OpenBlock();
            string target = handler.IsStatic ? gateway.FullyQualifiedName : "gateway";
            string call = $"{target}.{Identifier(handler.MethodName)}(";
            string[] arguments = BindArguments(writer, handler, json);
            switch (handler.ReturnKind)
            {
                case ReturnKind.Void:
                    WriteCall(writer, call, arguments, prefix: "", suffix: ";");
                    writer.WriteLine(isAsync ? "return null;" : "return default;");
                    break;
                case ReturnKind.Task or ReturnKind.ValueTask:
                    WriteCall(writer, call, arguments, prefix: "await ", suffix: ".ConfigureAwait(false);");
                    writer.WriteLine("return null;");
                    break;
                case ReturnKind.TaskOfValue or ReturnKind.ValueTaskOfValue:
                    WriteCall(writer, call, arguments, prefix: "return await ", suffix: ".ConfigureAwait(false);");
                    break;
                default:
                    WriteCall(writer, call, arguments, prefix: isAsync ? "return " : $"return new {ObjectValueTask}(", suffix: isAsync ? ";" : ");");
                    break;
            }

            writer.CloseBlock();
        }

        /// <summary>Sends each item of a stream handler's result, in order, until it ends or the connection does.</summary>
        private static void EmitSendItems(SourceWriter writer, HandlerSpec handler, string methodName, Dictionary<string, JsonMetadataSpec> json)
        {
            TypeRef result = handler.Result!;
            string metadata = Metadata(result, json);
            // Items are not the request's last frame: a correlated request's end follows the last one.
            string reply = handler.ResultIsWsResponse ? "ReplyEventItemAsync" : "ReplyItemAsync";
            writer.WriteLine($"/// <summary>Sends each item of the stream of \"{Escape(handler.Event)}\".</summary>");
            writer.WriteLine(
                $"private static async {ValueTask} {SendItemsName(methodName)}(global::System.Collections.Generic.IAsyncEnumerable<{ItemType(handler)}> items, {Message} message)");
            writer.OpenBlock();
            writer.WriteLine($$"""
                await foreach (var item in {{AsyncEnumerableExtensions}}.WithCancellation(items, message.ConnectionAborted).ConfigureAwait(false))
                {
                """);
            writer.Indentation++;
            if (CanBeNull(handler))
            {
                writer.WriteLine("""
                    if (item is null)
                    {
                        continue;
                    }

                    """);
            }

            writer.WriteLine($"await message.{reply}(item{WsResponseSuffix(handler)}, {metadata}).ConfigureAwait(false);");
            writer.Indentation--;
            writer.WriteLine("}");
            writer.CloseBlock();
        }

        private static string ItemType(HandlerSpec handler) =>
            handler.ResultIsWsResponse ? $"global::Gateway.WsResponse<{handler.Result!.FullyQualifiedName}>" : handler.Result!.FullyQualifiedName;

        // WsResponse<string?> meets metadata for string: '!' keeps the nested nullability from warning (CS8620).
        private static string WsResponseSuffix(HandlerSpec handler) =>
            handler.ResultIsWsResponse && handler.Result is { } data && data.FullyQualifiedName != data.MetadataKey ? "!" : "";

        private static string CallName(string handleName) => "Call" + handleName.Substring("Handle".Length);

        private static string SendItemsName(string handleName) => "Send" + handleName.Substring("Handle".Length);
    }
}
