namespace Gateway.Internal;

/// <summary>The frame's <c>data</c> did not bind to the handler's parameters; the client sees "Invalid payload".</summary>
internal sealed class InvalidPayloadException(Exception innerException)
    : Exception("The message payload does not match the handler's parameter types.", innerException);
