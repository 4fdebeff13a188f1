namespace Gateway.Generators.Model;

/// <summary>One method of a <c>[ClientEvents]</c> contract: the event it sends and its data.</summary>
/// <param name="DeclaringInterface">The <c>global::</c>-qualified interface that declares the method (it is implemented explicitly).</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="Event">The event name on the wire.</param>
/// <param name="ReturnsTask">Whether it returns <c>Task</c> (else <c>ValueTask</c>).</param>
/// <param name="ParameterName">The data parameter's name, or null for an event without data.</param>
/// <param name="Data">The data parameter's type, or null for an event without data.</param>
internal sealed record ClientEventSpec(string DeclaringInterface, string MethodName, string Event, bool ReturnsTask, string? ParameterName, TypeRef? Data);
