namespace Gateway.Tests.Gateways;

/// <summary>A typed contract of server-to-client events; the generator implements it.</summary>
[ClientEvents]
public interface IChatEvents
{
    ValueTask Message(RoomMessage message);

    [ClientEvent("user-joined")]
    Task JoinedAsync(string? nick);

    ValueTask Ping();
}
