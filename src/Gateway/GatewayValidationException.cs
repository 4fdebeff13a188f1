using System.Text.Json;

namespace Gateway;

/// <summary>
/// A message's payload failed the validation of its <c>[ValidatableType]</c> (DataAnnotations), checked before the
/// handler runs. The default frame is the spec's exception frame with the field errors beside the message:
/// <c>{"status":"error","message":"Validation failed","errors":[{"property":"name","constraints":["..."]}],"cause":{...}}</c>,
/// as NestJS's <c>ValidationPipe</c> with <c>exceptionFactory: errors =&gt; new WsException(errors)</c> gives.
/// Exception filters see it, with <see cref="Errors"/>, to answer otherwise.
/// </summary>
public sealed class GatewayValidationException : WsException
{
    /// <summary>Creates the exception for <paramref name="errors"/>.</summary>
    /// <param name="errors">The failed members, at least one.</param>
    public GatewayValidationException(IReadOnlyList<GatewayValidationError> errors) : base("Validation failed")
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    /// <summary>The failed members, each with its messages.</summary>
    public IReadOnlyList<GatewayValidationError> Errors { get; }

    internal override void WriteDetails(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("errors"u8);
        foreach (GatewayValidationError error in Errors)
        {
            writer.WriteStartObject();
            writer.WriteString("property"u8, error.Property);
            writer.WriteStartArray("constraints"u8);
            foreach (string constraint in error.Constraints)
            {
                writer.WriteStringValue(constraint);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
