using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Client;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests;

/// <summary>What the chat gateway answers, as the .NET client sees it (the generator implements it).</summary>
public interface IChatServer
{
    [GatewayEvent("whoami")]
    Task<string> WhoAmIAsync(CancellationToken cancellationToken = default);

    Task<bool> JoinAsync(string room);

    Task<string[]> MyRooms();

    ValueTask<int> Say(RoomMessage message);

    Task TypedJoin(string room);

    ValueTask TypedSay(RoomMessage message);
}

/// <summary>The kinds gateway's stream and a value task, for the other shapes.</summary>
public interface IKindsServer
{
    IAsyncEnumerable<string?> Stream(int count, CancellationToken cancellationToken = default);

    ValueTask<double> ValueTaskOfT(double value);

    Task<int> Count();
}

public static partial class TypedClients
{
    [GatewayServerProxy(typeof(TypedClientJson))]
    public static partial IChatServer Chat(this GatewayConnection connection);

    [GatewayServerProxy(typeof(TypedClientJson))]
    public static partial IKindsServer Kinds(this GatewayConnection connection);

    // The server's own [ClientEvents] contract, the one its gateway pushes with.
    [GatewayClientHandlers(typeof(TypedClientJson))]
    public static partial IDisposable Handle(this GatewayConnection connection, IChatEvents handlers);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(RoomMessage))]
public sealed partial class TypedClientJson : JsonSerializerContext;

/// <summary>
/// The generated typed .NET client against a real server: requests, completions, streams and value tasks by the
/// contract's methods, and the server's [ClientEvents] contract implemented by the client to handle its pushes.
/// </summary>
public sealed class TypedClientTests
{
    [Fact]
    public async Task A_typed_proxy_sends_each_method_as_its_event_and_a_ClientEvents_contract_handles_pushes()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ChatGateway>().AddGateway<ReturnKindsGateway>(), services: s => s.AddSingleton<Counter>());
        await using GatewayConnection alice = await GatewayConnection.ConnectAsync(server.Url("/chat"));
        await using GatewayConnection bob = await GatewayConnection.ConnectAsync(server.Url("/chat"));
        var heard = new Handlers();
        using IDisposable handling = alice.Handle(heard);
        IChatServer chat = alice.Chat();

        string id = await chat.WhoAmIAsync();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.True(await chat.JoinAsync("red"));
        Assert.True(await bob.Chat().JoinAsync("red"));
        Assert.Equal(["red"], await chat.MyRooms());
        Assert.Equal(2, await bob.Chat().Say(new RoomMessage("red", "untyped push")));

        // typedSay pushes IChatEvents.Message to the room; typedJoin pushes "user-joined" to it and Ping to the caller.
        await bob.Chat().TypedSay(new RoomMessage("red", "typed"));
        await chat.TypedJoin("red");
        await Eventually.HoldsAsync(() => heard.Count >= 4);
        Assert.Equal(["message red untyped push", "message red typed", $"user-joined {id}", "ping"], heard.Lines);

        handling.Dispose();
        await bob.Chat().TypedSay(new RoomMessage("red", "unheard"));
        Assert.Equal(id, await chat.WhoAmIAsync());
        Assert.Equal(4, heard.Count);

        await using GatewayConnection kinds = await GatewayConnection.ConnectAsync(server.Url("/kinds"));
        List<string?> items = [];
        await foreach (string? item in kinds.Kinds().Stream(3))
        {
            items.Add(item);
        }

        Assert.Equal(["item0", "item2"], items);
        Assert.Equal(5.0, await kinds.Kinds().ValueTaskOfT(2.5));
        Assert.Equal(0, await kinds.Kinds().Count());
    }

    private sealed class Handlers : IChatEvents
    {
        private readonly List<string> _lines = [];

        public int Count
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Count;
                }
            }
        }

        public string[] Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ValueTask Message(RoomMessage message) => Add($"message {message.Room} {message.Text}");

        public Task JoinedAsync(string? nick) => Add($"user-joined {nick}").AsTask();

        public ValueTask Ping() => Add("ping");

        private ValueTask Add(string line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }

            return ValueTask.CompletedTask;
        }
    }
}
