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

    /// <summary>Serves the gateway at <paramref name="path"/>, an exact URL path such as <c>/chat</c> or a route template such as <c>/chat/{roomId}</c>.</summary>
    public WebSocketGatewayAttribute(string path)
    {
        Path = path;
    }

    /// <summary>
    /// Serves the gateway at <c>/</c> on <paramref name="port"/> only, like NestJS's <c>@WebSocketGateway(8080)</c>:
    /// the application also listens on that port, and the gateway answers nowhere else.
    /// </summary>
    public WebSocketGatewayAttribute(int port) : this(port, "/")
    {
    }

    /// <summary>Serves the gateway at <paramref name="path"/> on <paramref name="port"/> only.</summary>
    public WebSocketGatewayAttribute(int port, string path)
    {
        Port = port;
        Path = path;
    }

    /// <summary>
    /// The exact URL path of the WebSocket endpoint; a route template when it has parameters
    /// (<c>/chat/{roomId}/socket</c>), whose values handlers bind with <c>[FromRoute]</c>.
    /// </summary>
    public string Path { get; }

    /// <summary>The only port the gateway is served on; 0 for every port the application listens on.</summary>
    public int Port { get; }

    /// <summary>One instance for the application (the default) or one per connection.</summary>
    public GatewayLifetime Lifetime { get; set; }

    /// <summary>
    /// The Socket.IO namespace this gateway serves when the application maps Socket.IO (<c>app.MapSocketIO()</c>), as
    /// NestJS's <c>@WebSocketGateway({ namespace: 'chat' })</c>; a leading <c>/</c> is added when missing. Default: <c>/</c>.
    /// </summary>
    public string? Namespace { get; set; }
}
