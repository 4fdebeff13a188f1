using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Gateways;

/// <summary>Records every lifecycle call, in order.</summary>
public sealed class HookLog : IDisposable
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly SemaphoreSlim _disconnects = new(0);

    public IReadOnlyList<string> Entries => [.. _entries];

    public void Add(string entry)
    {
        _entries.Enqueue(entry);
        if (entry.StartsWith("disconnect", StringComparison.Ordinal))
        {
            _disconnects.Release();
        }
    }

    public void Dispose() => _disconnects.Dispose();

    public async Task WaitForDisconnectAsync()
    {
        Assert.True(await _disconnects.WaitAsync(TimeSpan.FromSeconds(30)), "The disconnect hook did not run.");
    }
}

[WebSocketGateway("/hooks")]
public partial class HooksGateway(HookLog log) : IOnGatewayInit, IOnGatewayConnection, IOnGatewayDisconnect
{
    public ValueTask OnGatewayInitAsync(CancellationToken cancellationToken)
    {
        log.Add("init");
        return ValueTask.CompletedTask;
    }

    public ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext)
    {
        log.Add($"connect {httpContext.Request.Query["name"]}");
        return ValueTask.CompletedTask;
    }

    [SubscribeMessage("hello")]
    public string Hello(GatewayClient client)
    {
        log.Add("hello");
        return "hi";
    }

    [SubscribeMessage("close")]
    public ValueTask Close(GatewayClient client) => client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");

    public ValueTask OnDisconnectedAsync(GatewayClient client, WebSocketCloseStatus? closeStatus, Exception? exception)
    {
        log.Add($"disconnect {closeStatus?.ToString() ?? "none"} {exception?.GetType().Name ?? "no-error"}");
        return ValueTask.CompletedTask;
    }
}

[WebSocketGateway("/reject")]
public partial class RejectingGateway(HookLog log) : IOnGatewayConnection, IOnGatewayDisconnect
{
    public ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext) =>
        httpContext.Request.Query["token"] == "crash"
            ? throw new InvalidOperationException("secret")
            : throw new WsException("Unauthorized");

    [SubscribeMessage("never")]
    public string Never()
    {
        log.Add("never");
        return "never";
    }

    public ValueTask OnDisconnectedAsync(GatewayClient client, WebSocketCloseStatus? closeStatus, Exception? exception)
    {
        log.Add($"disconnect {closeStatus}");
        return ValueTask.CompletedTask;
    }
}
