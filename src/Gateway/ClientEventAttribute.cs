namespace Gateway;

/// <summary>Names the event a method of a <see cref="ClientEventsAttribute"/> contract sends.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ClientEventAttribute : Attribute
{
    /// <summary>Sends the method's data as <paramref name="event"/>.</summary>
    public ClientEventAttribute(string @event)
    {
        Event = @event;
    }

    /// <summary>The event name.</summary>
    public string Event { get; }
}
