using Microsoft.AspNetCore.SignalR;

namespace SignalRHub;

/// <summary>The Events sample's <c>identity</c> handler as a SignalR hub method.</summary>
public sealed class EventsHub : Hub
{
    public int Identity(int data) => data;
}
