namespace Gateway;

/// <summary>
/// Binds a handler parameter to the frame's <c>data</c>, or to one property of it when
/// <see cref="Property"/> is set. A missing value binds the parameter's default.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class MessageBodyAttribute : Attribute
{
    /// <summary>Binds the whole <c>data</c> value.</summary>
    public MessageBodyAttribute()
    {
    }

    /// <summary>Binds the property <paramref name="property"/> of the <c>data</c> object (exact name).</summary>
    public MessageBodyAttribute(string property)
    {
        Property = property;
    }

    /// <summary>The property of <c>data</c> to bind, or <see langword="null"/> for the whole value.</summary>
    public string? Property { get; }
}
