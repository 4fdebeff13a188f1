using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.ScaleOut;

[JsonSerializable(typeof(long))]
internal sealed partial class BenchJson : JsonSerializerContext;

[WebSocketGateway("/ws")]
public partial class BenchGateway
{
    [SubscribeMessage("ping")]
    public string Ping() => "pong";
}

public sealed class BenchHub(HubConnections tracker) : Hub
{
    public override Task OnConnectedAsync()
    {
        tracker.Ids.Enqueue(Context.ConnectionId);
        return Task.CompletedTask;
    }
}

public sealed class HubConnections
{
    public ConcurrentQueue<string> Ids { get; } = new();
}

internal sealed class Cluster : IAsyncDisposable
{
    private static readonly byte[] SignalRHandshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private readonly bool _signalR;
    private readonly WebApplication[] _nodes;
    private readonly Uri[] _urls;
    private readonly List<Client> _clients = [];
    private long _target = long.MinValue;
    private int _remaining;
    private long _deliveries;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Cluster(bool signalR, WebApplication[] nodes, Uri[] urls)
    {
        _signalR = signalR;
        _nodes = nodes;
        _urls = urls;
    }

    public static async Task<Cluster> StartAsync(bool signalR, int count, string redis)
    {
        var nodes = new WebApplication[count];
        var urls = new Uri[count];
        string prefix = "bench-" + Guid.NewGuid().ToString("N")[..6];
        for (int i = 0; i < count; i++)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            if (signalR)
            {
                ISignalRServerBuilder hub = builder.Services.AddSignalR(o => o.ClientTimeoutInterval = TimeSpan.FromMinutes(10));
                if (count > 1)
                {
                    hub.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(prefix));
                }

                builder.Services.AddSingleton<HubConnections>();
            }
            else
            {
                IGatewayBuilder gateways = builder.Services.AddGatewayCore().AddGateway<BenchGateway>();
                if (count > 1)
                {
                    gateways.AddRedisBackplane(redis, o => o.ChannelPrefix = prefix);
                }
            }

            WebApplication app = builder.Build();
            app.UseWebSockets();
            if (signalR)
            {
                app.MapHub<BenchHub>("/hub");
            }
            else
            {
                app.MapGateways();
            }

            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            nodes[i] = app;
            urls[i] = new Uri(new UriBuilder(address) { Scheme = "ws" }.Uri, signalR ? "/hub" : "/ws");
        }

        return new Cluster(signalR, nodes, urls);
    }

    public async Task ConnectAsync(int count)
    {
        for (int i = 0; i < count; i += 100)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(100, count - i)).Select(async n =>
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(_urls[n % _urls.Length], CancellationToken.None);
                if (_signalR)
                {
                    await socket.SendAsync(SignalRHandshake, WebSocketMessageType.Text, true, CancellationToken.None);
                }

                var client = new Client(socket, this);
                lock (_clients)
                {
                    _clients.Add(client);
                }
            }));
        }

        foreach (Client client in _clients)
        {
            client.Start();
        }

        await Task.Delay(500);
    }

    /// <summary>One broadcast from node 0; milliseconds until every connection has it.</summary>
    public async Task<double> BroadcastAsync(long stamp)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, _clients.Count);
        Volatile.Write(ref _target, stamp);
        long start = Stopwatch.GetTimestamp();
        if (_signalR)
        {
            await _nodes[0].Services.GetRequiredService<IHubContext<BenchHub>>().Clients.All.SendAsync("tick", stamp);
        }
        else
        {
            _nodes[0].Services.GetRequiredService<IGatewayServer<BenchGateway>>().All.Send("tick", stamp, BenchJson.Default.Int64);
        }

        await _done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Each connection joins one room (round robin), on its own node.</summary>
    public async Task JoinRoomsAsync(int rooms)
    {
        int k = 0;
        foreach (WebApplication node in _nodes)
        {
            if (_signalR)
            {
                IHubContext<BenchHub> hub = node.Services.GetRequiredService<IHubContext<BenchHub>>();
                foreach (string id in node.Services.GetRequiredService<HubConnections>().Ids)
                {
                    await hub.Groups.AddToGroupAsync(id, "room" + (k++ % rooms));
                }
            }
            else
            {
                IGatewayServer<BenchGateway> server = node.Services.GetRequiredService<IGatewayServer<BenchGateway>>();
                foreach (GatewayClient client in server.All.Connections)
                {
                    client.Join("room" + (k++ % rooms));
                }
            }
        }

        await Task.Delay(1000); // let subscriptions settle
    }

    /// <summary>Sends <paramref name="messages"/> room messages round robin from node 0; seconds until all deliveries arrived.</summary>
    public async Task<(double Seconds, long Deliveries)> RoomMessagesAsync(int rooms, int messages)
    {
        long expected = (long)messages * (_clients.Count / rooms);
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _deliveries, 0);
        Volatile.Write(ref _target, long.MaxValue); // room mode: count every frame
        Volatile.Write(ref _remaining, (int)expected);
        long start = Stopwatch.GetTimestamp();
        IHubContext<BenchHub>? hub = _signalR ? _nodes[0].Services.GetRequiredService<IHubContext<BenchHub>>() : null;
        IGatewayServer<BenchGateway>? server = _signalR ? null : _nodes[0].Services.GetRequiredService<IGatewayServer<BenchGateway>>();
        for (int i = 0; i < messages; i++)
        {
            string room = "room" + (i % rooms);
            if (hub is not null)
            {
                await hub.Clients.Group(room).SendAsync("tick", (long)i);
            }
            else
            {
                server!.Room(room).Send("tick", (long)i, BenchJson.Default.Int64);
            }
        }

        await _done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, Volatile.Read(ref _deliveries));
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        long target = Volatile.Read(ref _target);
        if (target == long.MaxValue)
        {
            Interlocked.Increment(ref _deliveries);
        }
        else if (!EndsWithStamp(frame, target))
        {
            return;
        }

        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }

    // Gateway: {"event":"tick","data":N}; SignalR: {"type":1,"target":"tick","arguments":[N]}
    private static bool EndsWithStamp(ReadOnlySpan<byte> frame, long stamp)
    {
        string text = Encoding.UTF8.GetString(frame);
        if (!text.Contains("tick", StringComparison.Ordinal))
        {
            return false;
        }

        string digits = stamp.ToString(CultureInfo.InvariantCulture);
        return text.Contains(":" + digits + "}", StringComparison.Ordinal) || text.Contains("[" + digits + "]", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Client client in _clients)
        {
            client.Socket.Abort();
            client.Socket.Dispose();
        }

        foreach (WebApplication node in _nodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
    }

    private sealed class Client(ClientWebSocket socket, Cluster owner)
    {
        public ClientWebSocket Socket { get; } = socket;

        public void Start() => _ = LoopAsync();

        private async Task LoopAsync()
        {
            var buffer = new byte[4096];
            int length = 0;
            try
            {
                while (true)
                {
                    ValueWebSocketReceiveResult result = await Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    // SignalR may pack several records separated by 0x1e into one message.
                    ReadOnlySpan<byte> span = buffer.AsSpan(0, length);
                    while (!span.IsEmpty)
                    {
                        int end = span.IndexOf((byte)0x1e);
                        ReadOnlySpan<byte> record = end < 0 ? span : span[..end];
                        if (!record.IsEmpty)
                        {
                            owner.OnFrame(record);
                        }

                        span = end < 0 ? [] : span[(end + 1)..];
                    }

                    length = 0;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
        }
    }
}
