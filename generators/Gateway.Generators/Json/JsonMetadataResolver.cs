using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Gateway.Generators.Helpers;
using Gateway.Generators.Model;

namespace Gateway.Generators;

/// <summary>
/// Binds each payload and result type to JSON metadata that already exists: the runtime's built-in context, or one
/// of the project's own <c>JsonSerializerContext</c> classes. A generator cannot see the System.Text.Json
/// generator's output, so it never emits a context of its own.
/// </summary>
/// <remarks>
/// The types to bind are the lists the parser recorded (<see cref="GatewayModel.JsonTypes"/> and the like), never
/// recomputed here; every type that does not bind is returned as missing, and the diagnostics outputs report
/// exactly those as GW0007. So a gateway, contract or call is never left out without a diagnostic.
/// </remarks>
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

    public static GatewayResolution Resolve(GatewayModel model, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        JsonBinding binding = Bind(model.JsonTypes, contexts);
        ResolvedGatewaySpec? gateway = model.Spec is not null && binding.IsComplete ? new ResolvedGatewaySpec(model.Spec, binding.Metadata) : null;
        return new GatewayResolution(model.FullyQualifiedName, gateway, binding.Missing);
    }

    public static ClientEventsResolution Resolve(ClientEventsModel model, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        JsonBinding binding = Bind(model.JsonTypes, contexts);
        ResolvedClientEventsSpec? contract = model.Spec is not null && binding.IsComplete
            ? new ResolvedClientEventsSpec(model.Spec, binding.Metadata)
            : null;
        return new ClientEventsResolution(model.FullyQualifiedName, contract, binding.Missing);
    }

    /// <summary>The send calls whose data type has metadata, that metadata, and the data types that have none.</summary>
    public static SendCallsResolution BindSendCalls(ImmutableArray<SendCallSpec> calls, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        IEnumerable<JsonTypeSpec> types = calls
            .Select(static c => c.Data)
            .GroupBy(static t => t.Type.MetadataKey, System.StringComparer.Ordinal)
            .OrderBy(static g => g.Key, System.StringComparer.Ordinal)
            .Select(static g => g.First());
        JsonBinding binding = Bind(types, contexts);
        var bound = new HashSet<string>(binding.Metadata.Select(static m => m.Type.MetadataKey), System.StringComparer.Ordinal);
        return new SendCallsResolution(
            calls.Where(c => bound.Contains(c.Data.Type.MetadataKey)).ToImmutableEquatableArray(),
            binding.Metadata,
            binding.Missing);
    }

    /// <summary>Binds each type once, in the order given; the field names follow that order.</summary>
    public static JsonBinding Bind(IEnumerable<JsonTypeSpec> types, ImmutableEquatableArray<JsonContextSpec> contexts)
    {
        var metadata = new List<JsonMetadataSpec>();
        var missing = new List<JsonTypeSpec>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var fieldNames = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (JsonTypeSpec spec in types)
        {
            TypeRef type = spec.Type;
            if (!seen.Add(type.MetadataKey))
            {
                continue;
            }

            string? context = FindContext(type.MetadataKey, contexts);
            if (context is null)
            {
                missing.Add(spec);
                continue;
            }

            string fieldName = type.Identifier;
            for (int i = 2; !fieldNames.Add(fieldName); i++)
            {
                fieldName = type.Identifier + i;
            }

            metadata.Add(new JsonMetadataSpec(type, context, fieldName));
        }

        return new JsonBinding(metadata.ToImmutableEquatableArray(), missing.ToImmutableEquatableArray());
    }
}
