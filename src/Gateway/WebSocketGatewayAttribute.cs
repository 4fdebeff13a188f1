namespace Gateway;

/// <summary>
/// Marks a <see langword="partial"/> class as a WebSocket gateway. The Gateway source generator compiles its
/// <see cref="SubscribeMessageAttribute"/> handlers into a dispatch table served at <see cref="Path"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WebSocketGatewayAttribute : Attribute
{
    /// <summary>Serves the gateway at <c>/</c>, like NestJS's <c>@WebSocketGateway()</c>.</summary>
    public WebSocketGatewayAttribute() : this("/")
    {
    }

    /// <summary>Serves the gateway at <paramref name="path"/>, an exact URL path such as <c>/chat</c>.</summary>
    public WebSocketGatewayAttribute(string path)
    {
        Path = path;
    }

    /// <summary>The exact URL path of the WebSocket endpoint.</summary>
    public string Path { get; }
}
