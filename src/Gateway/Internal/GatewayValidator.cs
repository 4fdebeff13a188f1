// Microsoft.Extensions.Validation is marked experimental (ASP0029) in .NET 10; it is the library ASP.NET Core itself
// validates with, and its use stays in this file.
#pragma warning disable ASP0029
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace Gateway.Internal;

/// <summary>
/// Validates <c>[ValidatableType]</c> payloads with Microsoft.Extensions.Validation, whose source generator wrote the
/// validation code of each type (no reflection at run time). Created at start-up only when some handler validates;
/// start-up fails while a validated type is unknown to it (no <c>AddValidation()</c>), rather than skipping validation.
/// </summary>
internal sealed class GatewayValidator
{
    private readonly ValidationOptions _options;
    private readonly ConcurrentDictionary<Type, IValidatableInfo> _infos = new();

    private GatewayValidator(ValidationOptions options) => _options = options;

    /// <summary>The validator of the application, or null when no handler validates its payload.</summary>
    public static GatewayValidator? Create(IEnumerable<GatewayDefinition> definitions, IServiceProvider services)
    {
        GatewayValidator? validator = null;
        foreach (GatewayDefinition definition in definitions)
        {
            foreach (Type type in definition.ValidatedTypes)
            {
                validator ??= new GatewayValidator(services.GetRequiredService<IOptions<ValidationOptions>>().Value);
                if (!validator._options.TryGetValidatableTypeInfo(type, out IValidatableInfo? info))
                {
                    throw new InvalidOperationException(
                        $"{definition.Name} validates payloads of type {type}, but Microsoft.Extensions.Validation does not know the type: "
                        + "call builder.Services.AddValidation() in the application, and keep [ValidatableType] on the type.");
                }

                validator._infos[type] = info;
            }
        }

        return validator;
    }

    /// <summary>Validates <paramref name="value"/>; throws a <see cref="GatewayValidationException"/> listing every failed member.</summary>
    public async ValueTask ValidateAsync<T>(
        T value, string displayName, JsonSerializerOptions jsonOptions, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return;
        }

        // Start-up found every validated type (a nullable struct payload is validated as its struct).
        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        IValidatableInfo info = _infos.GetValueOrDefault(type)
            ?? throw new InvalidOperationException($"Payloads of type {type} are not validatable.");
        var context = new ValidateContext
        {
            ValidationOptions = _options,
            ValidationContext = new ValidationContext(value, displayName, services, items: null),
        };
        await info.ValidateAsync(value, context, cancellationToken).ConfigureAwait(false);
        if (context.ValidationErrors is not { Count: > 0 } errors)
        {
            return;
        }

        var list = new List<GatewayValidationError>(errors.Count);
        foreach (KeyValuePair<string, string[]> error in errors)
        {
            list.Add(new GatewayValidationError(JsonPath(error.Key, jsonOptions.PropertyNamingPolicy), error.Value));
        }

        throw new GatewayValidationException(list);
    }

    /// <summary><c>Lines[0].Qty</c> as the client spelled it: each member name through the naming policy (<c>lines[0].qty</c>).</summary>
    private static string JsonPath(string path, JsonNamingPolicy? policy)
    {
        if (policy is null || path.Length == 0)
        {
            return path;
        }

        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            int index = segment.IndexOf('[', StringComparison.Ordinal);
            segments[i] = index < 0 ? policy.ConvertName(segment) : policy.ConvertName(segment[..index]) + segment[index..];
        }

        return string.Join('.', segments);
    }
}
