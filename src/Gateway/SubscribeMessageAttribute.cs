namespace Gateway;

/// <summary>
/// Makes a gateway method the handler of inbound frames whose <c>event</c> is <see cref="Event"/>
/// (exact, case-sensitive match).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SubscribeMessageAttribute : Attribute
{
    /// <summary>Subscribes the method to <paramref name="event"/>.</summary>
    public SubscribeMessageAttribute(string @event)
    {
        Event = @event;
    }

    /// <summary>The event name this handler answers.</summary>
    public string Event { get; }
}
