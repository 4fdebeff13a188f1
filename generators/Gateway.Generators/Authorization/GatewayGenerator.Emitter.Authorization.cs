using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// The authorization attributes as objects: the class's become metadata of the gateway's endpoint (the
        /// handshake), the handlers' are checked per message. Nothing is emitted for a gateway without any.
        /// </summary>
        private static void EmitAuthorization(SourceWriter writer, GatewaySpec gateway)
        {
            if (gateway.Authorization.Count > 0)
            {
                writer.WriteLine("/// <summary>The class's authorization attributes: metadata of the gateway's endpoint, checked at the handshake.</summary>");
                writer.WriteLine(
                    "public override global::System.Collections.Generic.IReadOnlyList<object> EndpointMetadata { get; } = "
                    + $"[{string.Join(", ", gateway.Authorization.Select(static a => a.NewExpression))}];");
                writer.WriteLine();
            }

            if (gateway.Handlers.Any(static h => h.Authorization.Count > 0))
            {
                writer.WriteLine("/// <summary>Each handler's authorization attributes, by handler number, checked per message.</summary>");
                writer.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<object>?[]? HandlerAuthorization { get; } =");
                writer.WriteLine("[");
                writer.Indentation++;
                foreach (HandlerSpec handler in gateway.Handlers)
                {
                    writer.WriteLine(handler.Authorization.Count == 0
                        ? $"null, // {Literal(handler.Event)}"
                        : $"[{string.Join(", ", handler.Authorization.Select(static a => a.NewExpression))}], // {Literal(handler.Event)}");
                }

                writer.Indentation--;
                writer.WriteLine("];");
                writer.WriteLine();
            }
        }
    }
}
