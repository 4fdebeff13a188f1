namespace Gateway.Generators.Model;

/// <summary>Where a handler parameter's value comes from.</summary>
internal enum ParameterKind
{
    MessageBody,
    MessageBodyProperty,
    Client,
    CancellationToken,
    HttpContext,
    User,
    RequiredService,
    OptionalService,
    Route,
}
