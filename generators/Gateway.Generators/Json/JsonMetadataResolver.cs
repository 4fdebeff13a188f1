using System.Collections.Generic;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;

namespace Gateway.Generators;

/// <summary>
/// Binds each payload and result type of a gateway to JSON metadata that already exists: the runtime's
/// built-in context, or one of the project's own <c>JsonSerializerContext</c> classes. A generator cannot see
/// the System.Text.Json generator's output, so it never emits a context of its own.
/// </summary>
internal static class JsonMetadataResolver
{
    private static readonly HashSet<string> s_builtIn = new(KnownTypeNames.BuiltInJsonTypes, System.StringComparer.Ordinal);

    public static string? FindContext(string metadataKey, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        if (s_builtIn.Contains(metadataKey))
        {
            return KnownTypeNames.BuiltInJsonContext;
        }

        return contexts
            .Where(c => c.TypeKeys.Contains(metadataKey))
            .Select(static c => c.FullyQualifiedName)
            .OrderBy(static n => n, System.StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <returns>The resolved gateway, or null when a type has no metadata (GW0007 is reported elsewhere).</returns>
    public static ResolvedGatewaySpec? Resolve(GatewaySpec gateway, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        IEnumerable<TypeRef> types = gateway.Handlers
            .SelectMany(static h => h.Parameters
                .Where(static p => p.Kind is ParameterKind.MessageBody or ParameterKind.MessageBodyProperty)
                .Select(static p => p.Type)
                .Concat(h.Result is null ? [] : [h.Result]));
        return Bind(types, contexts) is { } metadata ? new ResolvedGatewaySpec(gateway, metadata) : null;
    }

    /// <returns>The resolved contract, or null when a data type has no metadata (GW0007 is reported elsewhere).</returns>
    public static ResolvedClientEventsSpec? Resolve(ClientEventsSpec contract, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        IEnumerable<TypeRef> types = contract.Events.Where(static e => e.Data is not null).Select(static e => e.Data!);
        return Bind(types, contexts) is { } metadata ? new ResolvedClientEventsSpec(contract, metadata) : null;
    }

    /// <summary>The send calls whose data type has metadata (the others get GW0007), and that metadata.</summary>
    public static (ImmutableEquatableArray<SendCallSpec> Calls, ImmutableEquatableArray<JsonMetadataSpec> Metadata) BindSendCalls(
        System.Collections.Immutable.ImmutableArray<SendCallSpec> calls, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        SendCallSpec[] bound = calls.Where(c => FindContext(c.Data.MetadataKey, contexts) is not null).ToArray();
        return (bound.ToImmutableEquatableArray(), Bind(bound.Select(static c => c.Data), contexts)!);
    }

    private static ImmutableEquatableArray<JsonMetadataSpec>? Bind(IEnumerable<TypeRef> types, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        var byKey = new Dictionary<string, JsonMetadataSpec>(System.StringComparer.Ordinal);
        var fieldNames = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (TypeRef type in types)
        {
            if (byKey.ContainsKey(type.MetadataKey))
            {
                continue;
            }

            string? context = FindContext(type.MetadataKey, contexts);
            if (context is null)
            {
                return null;
            }

            string fieldName = type.Identifier;
            for (int i = 2; !fieldNames.Add(fieldName); i++)
            {
                fieldName = type.Identifier + i;
            }

            byKey.Add(type.MetadataKey, new JsonMetadataSpec(type, context, fieldName));
        }

        return byKey.Values.ToImmutableEquatableArray();
    }
}
