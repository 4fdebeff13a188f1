using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Emitter
    {
        /// <summary>
        /// The <c>[ValidatableType]</c> payload types the handlers validate, which start-up checks Microsoft.Extensions.Validation
        /// knows; nothing is emitted for a gateway that validates none.
        /// </summary>
        private static void EmitValidatedTypes(SourceWriter writer, GatewaySpec gateway)
        {
            string[] types = gateway.Handlers
                .SelectMany(static h => h.Parameters)
                .Where(static p => p.ValidateAs is not null)
                .Select(static p => p.Type.MetadataKey.TrimEnd('?'))
                .Distinct(System.StringComparer.Ordinal)
                .ToArray();
            if (types.Length == 0)
            {
                return;
            }

            writer.WriteLine("/// <summary>The payload types validated before their handlers run.</summary>");
            writer.WriteLine(
                "public override global::System.Collections.Generic.IReadOnlyList<global::System.Type> ValidatedTypes { get; } = "
                + $"[{string.Join(", ", types.Select(static t => $"typeof({t})"))}];");
            writer.WriteLine();
        }
    }
}
