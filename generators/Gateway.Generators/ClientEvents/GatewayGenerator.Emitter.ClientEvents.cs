using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;
using Microsoft.CodeAnalysis.Text;

namespace Gateway.Generators;

public sealed partial class GatewayGenerator
{
    internal static partial class Emitter
    {
        public static string HintName(ClientEventsSpec contract) =>
            ((contract.Namespace is null ? contract.Name : $"{contract.Namespace}.{contract.Name}") + ".ClientEvents.g.cs").Replace("@", "");

        /// <summary>
        /// A file-local proxy that turns each method of the contract into a frame, and a module initializer that
        /// registers it so <c>As&lt;TEvents&gt;()</c> finds it without reflection.
        /// </summary>
        public static SourceText EmitClientEvents(ResolvedClientEventsSpec resolved)
        {
            ClientEventsSpec contract = resolved.Contract;
            var json = resolved.JsonMetadata.ToDictionary(static m => m.Type.MetadataKey, System.StringComparer.Ordinal);
            string identifier = contract.Name.Replace("+", "_");
            SourceWriter writer = StartFile(contract.Namespace);

            // Explicit implementations: no member of the contract can clash with the proxy's own names, with object's
            // members, or with another base interface's method of the same signature.
            writer.WriteLine($$"""
                /// <summary>Sends the events of <see cref="{{contract.FullyQualifiedName}}"/> to a connection or a set of them.</summary>
                {{s_generatedCode}}
                file sealed class {{identifier}}Proxy : {{contract.FullyQualifiedName}}
                {
                    private readonly global::Gateway.Infrastructure.IGatewayEventSink _sink;

                    public {{identifier}}Proxy(global::Gateway.Infrastructure.IGatewayEventSink sink) => _sink = sink;
                """);
            writer.Indentation++;
            foreach (ClientEventSpec e in contract.Events)
            {
                string returnType = e.ReturnsTask ? "global::System.Threading.Tasks.Task" : "global::System.Threading.Tasks.ValueTask";
                string asTask = e.ReturnsTask ? ".AsTask()" : "";
                string member = $"{e.DeclaringInterface}.{Identifier(e.MethodName)}";
                writer.WriteLine();
                if (e.Data is null)
                {
                    writer.WriteLine($"/// <summary>Sends <c>{Escape($"{{\"event\":{Literal(e.Event)}}}")}</c>.</summary>");
                    writer.WriteLine($"{returnType} {member}() => this._sink.SendAsync({Literal(e.Event)}){asTask};");
                    continue;
                }

                // A nullable-annotated parameter meets metadata of the plain type: '!' keeps that from warning.
                string parameter = Identifier(e.ParameterName!);
                string argument = parameter + (e.Data.FullyQualifiedName != e.Data.MetadataKey ? "!" : "");
                writer.WriteLine($"/// <summary>Sends <c>{Escape($"{{\"event\":{Literal(e.Event)},\"data\":{e.ParameterName}}}")}</c>.</summary>");
                writer.WriteLine($"{returnType} {member}({e.Data.FullyQualifiedName} {parameter}) =>");
                writer.WriteLine($"    this._sink.SendAsync({Literal(e.Event)}, {argument}, {Metadata(e.Data, json)}){asTask};");
            }

            writer.Indentation--;
            writer.WriteLine($$"""
                }

                file static class {{identifier}}Registration
                {
                    [global::System.Runtime.CompilerServices.ModuleInitializer]
                    internal static void Register() =>
                        global::Gateway.Infrastructure.GatewayClientEvents.Register<{{contract.FullyQualifiedName}}>(
                            static sink => new {{identifier}}Proxy(sink),
                            // What each event sends, read only when a contract document (AsyncAPI) is built.
                            static () =>
                            [
                """);
            writer.Indentation += 4;
            foreach (ClientEventSpec e in contract.Events)
            {
                string data = e.Data is null ? "null" : Metadata(e.Data, json);
                string nullable = Bool(e.Data is not null && IsNullableReference(e.Data));
                writer.WriteLine($"new global::Gateway.Infrastructure.GatewayClientEvent({Literal(e.Event)}, {data}, {nullable}),");
            }

            writer.Indentation -= 4;
            writer.WriteLine("""
                            ]);
                }
                """);
            EmitJsonMetadata(writer, resolved.JsonMetadata);
            return writer.ToSourceText();
        }
    }
}
