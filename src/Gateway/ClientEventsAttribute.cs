namespace Gateway;

/// <summary>
/// Marks an interface as a typed contract of server-to-client events, e.g.
/// <c>interface IChatEvents { ValueTask Message(ChatMessage message); }</c>. The generator implements it for every
/// addressing mode: <c>server.Room("red").As&lt;IChatEvents&gt;().Message(m)</c> sends
/// <c>{"event":"message","data":...}</c>. Each method returns <see cref="ValueTask"/> or <see cref="Task"/> and takes
/// the event's data as its only parameter, or none. The event name is the method name in camelCase, without an
/// <c>Async</c> suffix, unless <see cref="ClientEventAttribute"/> names it.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class ClientEventsAttribute : Attribute;
