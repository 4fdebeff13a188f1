using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Gateways;

/// <summary>A scoped service: one per connection of a per-connection gateway.</summary>
public sealed class ConnectionState : IDisposable
{
    private static int s_next;

    public int Number { get; } = Interlocked.Increment(ref s_next);

    public List<string> Said { get; } = [];

    public bool IsDisposed { get; private set; }

    public void Dispose() => IsDisposed = true;
}

/// <summary>What per-connection gateways and their scoped services saw, across connections.</summary>
public sealed class LifetimeJournal
{
    public ConcurrentBag<ConnectionState> States { get; } = [];

    public ConcurrentBag<PerConnectionGateway> Disposed { get; } = [];
}

/// <summary>One instance per connection, whose constructor takes a scoped service.</summary>
[WebSocketGateway("/mine", Lifetime = GatewayLifetime.Connection)]
public sealed partial class PerConnectionGateway(ConnectionState state, LifetimeJournal journal) : IOnGatewayConnection, IAsyncDisposable
{
    public ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext)
    {
        journal.States.Add(state);
        return default;
    }

    [SubscribeMessage("say")]
    public string Say([MessageBody] string text)
    {
        state.Said.Add(text);
        return $"{state.Number}:{string.Join(",", state.Said)}";
    }

    public ValueTask DisposeAsync()
    {
        journal.Disposed.Add(this);
        return default;
    }
}

/// <summary>A per-connection gateway cannot be initialized once: start-up says so.</summary>
[WebSocketGateway("/mine-init", Lifetime = GatewayLifetime.Connection)]
public sealed partial class PerConnectionInitGateway : IOnGatewayInit
{
    public ValueTask OnGatewayInitAsync(CancellationToken cancellationToken) => default;

    [SubscribeMessage("ping")]
    public string Ping() => "pong";
}
