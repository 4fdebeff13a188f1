using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Emitter
    {
        private const string Operation = "global::Gateway.Infrastructure.GatewayOperation";
        private const string ReplyKind = "global::Gateway.Infrastructure.GatewayReplyKind";

        /// <summary>
        /// <c>DescribeOperations()</c>: each handler's event, the metadata it binds <c>data</c> with and the metadata of
        /// what it sends, for contract documents. A method, so nothing is built unless a document asks.
        /// </summary>
        private static void EmitOperations(SourceWriter writer, GatewaySpec gateway, Dictionary<string, JsonMetadataSpec> json)
        {
            if (gateway.Handlers.Count == 0)
            {
                return;
            }

            writer.WriteLine("/// <summary>What each handler receives and answers, by handler number, for contract documents.</summary>");
            writer.WriteLine($"public override global::System.Collections.Generic.IReadOnlyList<{Operation}> DescribeOperations() =>");
            writer.WriteLine("[");
            writer.Indentation++;
            foreach (HandlerSpec handler in gateway.Handlers)
            {
                ParameterSpec? body = handler.Parameters.FirstOrDefault(static p => p.Kind == ParameterKind.MessageBody);
                List<ParameterSpec> properties = handler.Parameters.Where(static p => p.Kind == ParameterKind.MessageBodyProperty).ToList();
                string payload = body is null ? "null" : Metadata(body.Type, json);
                string required = Bool(body is null ? properties.Any(static p => !p.AllowsNull) : !body.AllowsNull);
                string propertyList = properties.Count == 0
                    ? "null"
                    : "[" + string.Join(", ", properties.Select(p =>
                        $"new({Literal(p.PropertyName!)}, {Metadata(p.Type, json)}, {Bool(!p.AllowsNull)})")) + "]";
                string reply = handler.Result is null
                    ? "None"
                    : handler.ReturnKind == ReturnKind.AsyncEnumerable
                        ? (handler.ResultIsWsResponse ? "EventStream" : "Stream")
                        : (handler.ResultIsWsResponse ? "Event" : "Value");
                string replyType = handler.Result is null ? "null" : Metadata(handler.Result, json);
                string payloadNullable = Bool(body is not null && IsNullableReference(body.Type));
                string replyNullable = Bool(handler.Result is not null && IsNullableReference(handler.Result));
                writer.WriteLine(
                    $"new({Literal(handler.Event)}, {payload}, {required}, {propertyList}, {ReplyKind}.{reply}, {replyType}, {payloadNullable}, {replyNullable}),");
            }

            writer.Indentation--;
            writer.WriteLine("];");
            writer.WriteLine();
        }

        /// <summary>
        /// A nullable-annotated reference type (<c>string?</c>): bound with the plain type's metadata, so a document
        /// learns that null is allowed from here. A <c>Nullable&lt;T&gt;</c> has metadata of its own that says so.
        /// </summary>
        internal static bool IsNullableReference(TypeRef type) => type.FullyQualifiedName != type.MetadataKey && type.FullyQualifiedName.EndsWith("?", System.StringComparison.Ordinal);

        internal static string Bool(bool value) => value ? "true" : "false";
    }
}
