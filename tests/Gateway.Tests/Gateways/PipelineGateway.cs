using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Gateways;

/// <summary>What the pipeline's components did, in order, across every connection of a test.</summary>
public sealed class PipelineJournal
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public void Add(string entry) => Entries.Enqueue(entry);

    public string[] Take()
    {
        var taken = new List<string>();
        while (Entries.TryDequeue(out string? entry))
        {
            taken.Add(entry);
        }

        return [.. taken];
    }
}

/// <summary>A guard that notes itself and refuses a message whose data is <c>"deny:&lt;name&gt;"</c> or throws for <c>"throw:&lt;name&gt;"</c>.</summary>
public abstract class NamedGuard(PipelineJournal journal, string name) : IGatewayGuard
{
    public ValueTask<bool> CanActivateAsync(GatewayInvocationContext context)
    {
        journal.Add($"guard:{name}:{context.Event}");
        string data = System.Text.Encoding.UTF8.GetString(context.Data.Span);
        if (data == $"\"throw:{name}\"")
        {
            throw new WsException($"{name} says no");
        }

        return ValueTask.FromResult(data != $"\"deny:{name}\"");
    }
}

/// <summary>An interceptor that notes itself before and after the rest of the pipeline.</summary>
public abstract class NamedInterceptor(PipelineJournal journal, string name) : IGatewayInterceptor
{
    public async ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next)
    {
        journal.Add($"before:{name}");
        object? result = await next(context);
        journal.Add($"after:{name}");
        return result;
    }
}

/// <summary>A filter that notes itself and handles what <paramref name="handles"/> accepts by sending its own frame.</summary>
public abstract class NamedFilter(PipelineJournal journal, string name, Func<Exception, bool> handles) : IGatewayExceptionFilter
{
    public async ValueTask<bool> TryHandleAsync(GatewayInvocationContext context, Exception exception)
    {
        journal.Add($"filter:{name}");
        if (!handles(exception))
        {
            return false;
        }

        await context.Client.SendAsync("failed", new ErrorDetails(418, $"{name}: {exception.Message}"), TestJsonContext.Default.ErrorDetails);
        return true;
    }
}

public sealed class GlobalGuard(PipelineJournal journal) : NamedGuard(journal, "global");

public sealed class GatewayGuard(PipelineJournal journal) : NamedGuard(journal, "gateway");

public sealed class HandlerGuard(PipelineJournal journal) : NamedGuard(journal, "handler");

public sealed class GlobalInterceptor(PipelineJournal journal) : NamedInterceptor(journal, "global");

public sealed class GatewayInterceptor(PipelineJournal journal) : NamedInterceptor(journal, "gateway");

public sealed class HandlerInterceptor(PipelineJournal journal) : NamedInterceptor(journal, "handler");

public sealed class GlobalFilter(PipelineJournal journal) : NamedFilter(journal, "global", static e => e is TimeoutException);

public sealed class GatewayFilter(PipelineJournal journal) : NamedFilter(journal, "gateway", static e => e is InvalidOperationException);

public sealed class HandlerFilter(PipelineJournal journal) : NamedFilter(journal, "handler", static e => e is ArgumentException);

/// <summary>Replaces a string result with its upper case, and a missing one with a <see cref="GatewayResult"/> event.</summary>
public sealed class ShoutInterceptor : IGatewayInterceptor
{
    public async ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next) =>
        await next(context) switch
        {
            string text => text.ToUpperInvariant(),
            null => GatewayResult.Event("shouted", context.HandlerName, TestJsonContext.Default.String),
            var other => other,
        };
}

/// <summary>Answers from its cache without calling the handler once it has seen the data.</summary>
public sealed class CacheInterceptor(PipelineJournal journal) : IGatewayInterceptor
{
    private readonly ConcurrentDictionary<string, object?> _cache = new();

    public async ValueTask<object?> InterceptAsync(GatewayInvocationContext context, GatewayHandler next)
    {
        string key = System.Text.Encoding.UTF8.GetString(context.Data.Span);
        if (_cache.TryGetValue(key, out object? cached))
        {
            journal.Add("cache:hit");
            return cached;
        }

        object? result = await next(context);
        _cache[key] = result;
        return result;
    }
}

/// <summary>Refuses connections whose query says <c>?guard=deny</c>, or throws its own refusal for <c>?guard=throw</c>.</summary>
public sealed class QueryConnectionGuard(PipelineJournal journal) : IGatewayConnectionGuard
{
    public ValueTask<bool> CanConnectAsync(GatewayClient client, HttpContext httpContext)
    {
        string? verdict = httpContext.Request.Query["guard"];
        journal.Add($"connect-guard:{verdict ?? "none"}");
        return verdict == "throw" ? throw new WsException("Not tonight") : ValueTask.FromResult(verdict != "deny");
    }
}

[WebSocketGateway("/pipeline")]
[UseGuards(typeof(GatewayGuard), typeof(QueryConnectionGuard))]
[UseInterceptors(typeof(GatewayInterceptor))]
[UseFilters(typeof(GatewayFilter))]
public partial class PipelineGateway(PipelineJournal journal) : IOnGatewayConnection
{
    public ValueTask OnConnectedAsync(GatewayClient client, HttpContext httpContext)
    {
        journal.Add("connected");
        return default;
    }

    [SubscribeMessage("order")]
    [UseGuards(typeof(HandlerGuard))]
    [UseInterceptors(typeof(HandlerInterceptor))]
    [UseFilters(typeof(HandlerFilter))]
    public string Order([MessageBody] string data)
    {
        journal.Add("handler");
        return data switch
        {
            "argument" => throw new ArgumentException("bad argument"),
            "invalid" => throw new InvalidOperationException("bad state"),
            "timeout" => throw new TimeoutException("too slow"),
            "crash" => throw new FormatException("unexpected"),
            _ => "ok:" + data,
        };
    }

    [SubscribeMessage("shout")]
    [UseInterceptors(typeof(ShoutInterceptor))]
    public string Shout([MessageBody] string text) => text;

    [SubscribeMessage("quiet")]
    [UseInterceptors(typeof(ShoutInterceptor))]
    public void Quiet()
    {
    }

    [SubscribeMessage("square")]
    [UseInterceptors(typeof(CacheInterceptor))]
    public int Square([MessageBody] int value)
    {
        journal.Add($"square:{value}");
        return value * value;
    }

    [SubscribeMessage("count")]
    [UseInterceptors(typeof(ShoutInterceptor))]
    public async IAsyncEnumerable<string> Count([MessageBody] int upTo)
    {
        for (int i = 1; i <= upTo; i++)
        {
            await Task.Yield();
            yield return "n" + i;
        }
    }

    [SubscribeMessage("event")]
    public WsResponse<string> Event([MessageBody] string text) => new("echoed", text);
}
