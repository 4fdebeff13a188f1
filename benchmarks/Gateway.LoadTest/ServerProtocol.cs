namespace Gateway.LoadTest;

/// <summary>Which protocol a server speaks over its WebSocket.</summary>
internal enum ServerProtocol
{
    /// <summary>The NestJS <c>ws</c> adapter protocol of the Events sample and the raw-Kestrel server.</summary>
    Nest,

    /// <summary>SignalR's JSON hub protocol, negotiate skipped.</summary>
    SignalR,

    /// <summary>Socket.IO v5 over Engine.IO v4, WebSocket transport only (no long-polling start), default namespace.</summary>
    SocketIO,
}

/// <summary>The protocols' names on the worker's command line.</summary>
internal static class ServerProtocols
{
    public static string Name(ServerProtocol protocol) => protocol switch
    {
        ServerProtocol.SignalR => "signalr",
        ServerProtocol.SocketIO => "socketio",
        _ => "nest",
    };

    public static ServerProtocol Parse(string name) => name switch
    {
        "signalr" => ServerProtocol.SignalR,
        "socketio" => ServerProtocol.SocketIO,
        "nest" => ServerProtocol.Nest,
        _ => throw new ArgumentException($"unknown protocol {name} (nest, signalr, socketio)"),
    };
}
