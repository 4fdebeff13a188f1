using Microsoft.AspNetCore.SignalR;

namespace SignalRHub;

/// <summary>The Events sample's <c>identity</c> handler as a SignalR hub method, and the broadcast scenario's <c>Broadcast</c>.</summary>
public sealed class EventsHub : Hub
{
    public int Identity(int data) => data;

    public Task Broadcast(long stamp) => Clients.All.SendAsync("tick", stamp);
}
