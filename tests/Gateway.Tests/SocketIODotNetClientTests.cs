using System.Text.Json;
using Gateway.Tests.Infrastructure;
using SocketIOClient.Transport;

namespace Gateway.Tests;

/// <summary>The .NET SocketIOClient (3.0.6) against the same gateways: connect with auth, events, acks both ways, binary, namespaces.</summary>
public sealed class SocketIODotNetClientTests
{
    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task The_dotnet_socket_io_client_works(TransportProtocol transport)
    {
        await using GatewayServer server = await SocketIOTests.StartAsync();
        string http = SocketIOTests.Http(server);
        var welcome = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new SocketIOClient.SocketIO(http, new SocketIOClient.SocketIOOptions
        {
            Transport = transport,
            AutoUpgrade = false,
            Reconnection = false,
            Auth = new Dictionary<string, string> { ["token"] = "dotnet" },
        });
        client.On("welcome", response => welcome.TrySetResult(response.GetValue<string>(0)));
        client.On("question", response => _ = response.CallbackAsync(response.GetValue<string>(0) + "?"));

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new List<string>();
        client.OnConnected += (_, _) => connected.TrySetResult();
        client.OnError += (_, error) => errors.Add(error);
        client.OnDisconnected += (_, reason) => errors.Add("disconnected: " + reason);
        await client.ConnectAsync();
        await Task.WhenAny(connected.Task, Task.Delay(TestClient.Timeout));

        Assert.True(client.Connected, string.Join("; ", errors));
        Assert.Equal("""{"token":"dotnet"}""", await welcome.Task.WaitAsync(TestClient.Timeout));
        Assert.Equal("""{"n":42}""", (await AckAsync(client, "echo", JsonDocument.Parse("""{"n":42}""").RootElement)).GetRawText());
        Assert.Equal(10, (await AckAsync(client, "bytes", new byte[] { 1, 2, 3, 4 })).GetInt32());
        Assert.Equal("how?", (await AckAsync(client, "ask", "how")).GetString());

        using var admin = new SocketIOClient.SocketIO(http + "/admin", new SocketIOClient.SocketIOOptions { Transport = transport, AutoUpgrade = false, Reconnection = false });
        await admin.ConnectAsync();
        Assert.StartsWith("admin ", (await AckAsync(admin, "whoami")).GetString());

        await client.DisconnectAsync();
        await admin.DisconnectAsync();
        server.AssertNothingLoggedAboveInformation();
    }

    private static async Task<JsonElement> AckAsync(SocketIOClient.SocketIO client, string @event, params object[] data)
    {
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.EmitAsync(@event, response => answer.TrySetResult(response.GetValue(0)), data);
        return await answer.Task.WaitAsync(TestClient.Timeout);
    }
}
