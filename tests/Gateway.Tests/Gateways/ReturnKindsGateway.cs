using System.Runtime.CompilerServices;
using System.Security.Claims;
using Gateway.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Tests.Gateways;

/// <summary>One handler per return kind and parameter source of the spec.</summary>
[WebSocketGateway("/kinds")]
public partial class ReturnKindsGateway(Counter counter)
{
    [SubscribeMessage("void")]
    public void Void([MessageBody] int data) => counter.Add(data);

    [SubscribeMessage("task")]
    public async Task TaskHandler([MessageBody] int data)
    {
        await Task.Yield();
        counter.Add(data);
    }

    [SubscribeMessage("valueTask")]
    public ValueTask ValueTaskHandler([MessageBody] int data)
    {
        counter.Add(data);
        return ValueTask.CompletedTask;
    }

    [SubscribeMessage("count")]
    public int Count() => counter.Total;

    [SubscribeMessage("taskOfT")]
    public async Task<string> TaskOfT([MessageBody] string data)
    {
        await Task.Yield();
        return data + "!";
    }

    [SubscribeMessage("valueTaskOfT")]
    public ValueTask<double> ValueTaskOfT([MessageBody] double data) => ValueTask.FromResult(data * 2);

    [SubscribeMessage("wsResponse")]
    public WsResponse<string> Response([MessageBody] string data) => new("pop", data);

    [SubscribeMessage("taskWsResponse")]
    public async Task<WsResponse<List<int>>> TaskResponse()
    {
        await Task.Yield();
        return new("list", [4, 5]);
    }

    [SubscribeMessage("stream")]
    public async IAsyncEnumerable<string?> Stream([MessageBody] int data, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < data; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i == 1 ? null : $"item{i}";
        }
    }

    [SubscribeMessage("null")]
    public string? Null() => null;

    [SubscribeMessage("false")]
    public bool False() => false;

    [SubscribeMessage("zero")]
    public int Zero() => 0;

    [SubscribeMessage("empty")]
    public string Empty() => "";

    [SubscribeMessage("static")]
    public static long Static([MessageBody] long data) => data + 1;

    [SubscribeMessage("record")]
    public ChatMessage Record([MessageBody] ChatMessage message) => message with { Text = message.Text.ToUpperInvariant() };

    [SubscribeMessage("property")]
    public string Property([MessageBody("nick")] string? nick, [MessageBody("age")] int? age) => $"{nick}:{age}";

    [SubscribeMessage("json")]
    public System.Text.Json.JsonElement Json([MessageBody] System.Text.Json.JsonElement data) => data;

    [SubscribeMessage("context")]
    // Concrete service classes say where they come from (GW0015); interfaces would not need to.
    public string Context(
        GatewayClient client, HttpContext http, ClaimsPrincipal user, [FromServices] Counter service, [FromServices] Missing? missing,
        CancellationToken aborted) =>
        $"{ReferenceEquals(client.HttpContext, http)}|{http.Request.Path}|{user.Identity?.IsAuthenticated}|{aborted.CanBeCanceled}|{ReferenceEquals(service, counter)}|{missing is null}";

    [SubscribeMessage("push")]
    public async Task Push(GatewayClient client, [MessageBody] string data)
    {
        await client.SendAsync("pushed", data, GatewayJsonContext.Default.String);
        // Without a JsonTypeInfo: the generator binds the metadata of this call at compile time.
        await client.SendAsync("pushed-record", new ChatMessage("server", data));
    }
}

public sealed class Counter
{
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public void Add(int value) => Interlocked.Add(ref _total, value);
}

/// <summary>A service that is never registered.</summary>
public sealed class Missing;
