using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Redis.Tests.Infrastructure;

/// <summary>One Gateway host (Kestrel on 127.0.0.1:0) with the Redis backplane: a node of a test cluster.</summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClusterNode(WebApplication app, Uri baseUri, CollectingLoggerProvider logs)
    {
        _app = app;
        BaseUri = baseUri;
        Logs = logs;
    }

    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    public CollectingLoggerProvider Logs { get; }

    public IGatewayServer<ClusterGateway> Server => Services.GetRequiredService<IGatewayServer<ClusterGateway>>();

    public IGatewayPresence<ClusterGateway> Presence => Services.GetRequiredService<IGatewayPresence<ClusterGateway>>();

    internal RedisBackplane Backplane => Services.GetRequiredService<RedisBackplane>();

    public static async Task<ClusterNode> StartAsync(string redis, Action<RedisBackplaneOptions>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Configuration[RedisBackplaneOptions.ConfigurationKey] = redis;
        builder.Services.AddGatewayCore().AddGateway<ClusterGateway>().AddRedisBackplane(builder.Configuration, options =>
        {
            // Fast reconnection and short connect attempts keep the failure tests short; the defaults are for production.
            ConfigurationOptions configuration = ConfigurationOptions.Parse(options.ConnectionString!);
            configuration.ConnectTimeout = 2000;
            configuration.ReconnectRetryPolicy = new LinearRetry(200);
            options.Configuration = configuration;
            options.ChannelPrefix = "test";
            configure?.Invoke(options);
        });
        builder.Services.Replace(ServiceDescriptor.Singleton<IGatewayUserIdProvider, QueryUserIdProvider>());
        WebApplication app = builder.Build();
        app.MapGateways();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ClusterNode(app, new UriBuilder(new Uri(address)) { Scheme = "ws" }.Uri, logs);
    }

    /// <summary>Connects a client as <paramref name="user"/> (none when null) and learns its connection id.</summary>
    public async Task<ClusterClient> ConnectAsync(string? user = null)
    {
        var uri = new Uri(BaseUri, user is null ? ClusterGateway.Path : $"{ClusterGateway.Path}?user={Uri.EscapeDataString(user)}");
        return await ClusterClient.ConnectAsync(uri);
    }

    /// <summary>Waits until every wanted channel is subscribed and every unwanted one released.</summary>
    public Task SettledAsync() => Eventually.TrueAsync(() => Backplane.SubscriptionsSettled, "the backplane's subscriptions settle");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>The user id is the <c>user</c> query parameter of the upgrade request.</summary>
public sealed class QueryUserIdProvider : IGatewayUserIdProvider
{
    public string? GetUserId(GatewayClient client) =>
        client.HttpContext.Request.Query.TryGetValue("user", out var user) && user.Count > 0 ? user[0] : null;
}

public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public bool Has(LogLevel level, string categoryContains) =>
        Entries.Any(e => e.Level == level && e.Category.Contains(categoryContains, StringComparison.Ordinal));

    private sealed class Logger(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, formatter(state, exception)));
    }
}

public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls a condition on state until it holds; fails the test with <paramref name="what"/> after <see cref="Timeout"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what) => await TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            bool holds;
            try
            {
                holds = await condition();
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                holds = false;
            }

            if (holds)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
