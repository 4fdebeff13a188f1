namespace Gateway.Generators.Model;

/// <summary>Which send method a call site uses, so the interceptor has its exact shape.</summary>
internal enum SendCallKind
{
    /// <summary><c>GatewayClient.SendAsync&lt;T&gt;(string, T, CancellationToken)</c>.</summary>
    ClientSendAsync,

    /// <summary><c>GatewayTarget.Send&lt;T&gt;(string, T)</c>.</summary>
    TargetSend,

    /// <summary><c>GatewayTarget.SendAsync&lt;T&gt;(string, T)</c>.</summary>
    TargetSendAsync,
}

/// <summary>
/// One call of a send method whose JSON metadata the generator binds at compile time, through an interceptor.
/// </summary>
/// <param name="Kind">The method called.</param>
/// <param name="Data">The type argument: the type of the data sent, which needs JSON metadata.</param>
/// <param name="LocationVersion">The version of <see cref="LocationData"/> (for <c>[InterceptsLocation]</c>).</param>
/// <param name="LocationData">The encoded call site (for <c>[InterceptsLocation]</c>).</param>
/// <param name="DisplayLocation">File, line and column of the call, as a comment for readers.</param>
internal sealed record SendCallSpec(SendCallKind Kind, JsonTypeSpec Data, int LocationVersion, string LocationData, string DisplayLocation);
