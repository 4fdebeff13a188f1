namespace Gateway;

/// <summary>
/// A handler result sent as the frame <c>{"event": Event, "data": Data}</c>, as NestJS's <c>WsResponse</c>.
/// </summary>
/// <typeparam name="T">The type of <see cref="Data"/>.</typeparam>
/// <param name="Event">The event name of the outbound frame.</param>
/// <param name="Data">The payload of the outbound frame.</param>
public readonly record struct WsResponse<T>(string Event, T Data);
