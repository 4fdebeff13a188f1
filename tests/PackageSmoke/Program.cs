using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Serialization;
using Gateway;
using Gateway.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddGateways();
var app = builder.Build();
app.MapGateways();
await app.StartAsync();

string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var socket = new ClientWebSocket();
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await socket.ConnectAsync(new Uri(address.Replace("http://", "ws://") + "/"), timeout.Token);
async Task<string> RoundTripAsync(string frame)
{
    await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, timeout.Token);
    var buffer = new byte[1024];
    WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
    return Encoding.UTF8.GetString(buffer, 0, result.Count);
}

string reply = await RoundTripAsync("""{"event":"identity","data":42}""");
// A push without a JsonTypeInfo: the package's generator must have bound it (through its interceptor).
string pushed = await RoundTripAsync("""{"event":"push","data":"hi"}""");
await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
// The typed .NET client: the Gateway.Client package's generator implements the proxy.
int typed;
await using (GatewayConnection connection = await GatewayConnection.ConnectAsync(new Uri(address.Replace("http://", "ws://") + "/")))
{
    typed = await connection.Smoke().Identity(7);
}

await app.StopAsync();

Console.WriteLine($"package round trip: {reply} {pushed} {typed}");
return reply == "42" && pushed == """{"event":"pushed","data":"hi"}""" && typed == 7 ? 0 : 1;

[WebSocketGateway]
public partial class SmokeGateway
{
    [SubscribeMessage("identity")]
    public int Identity([MessageBody] int data) => data;

    [SubscribeMessage("push")]
    public ValueTask Push(GatewayClient client, [MessageBody] string data) => client.SendAsync("pushed", data);
}

public interface ISmokeServer
{
    Task<int> Identity(int data);
}

public static partial class SmokeProxies
{
    [GatewayServerProxy(typeof(SmokeJson))]
    public static partial ISmokeServer Smoke(this GatewayConnection connection);
}

[JsonSerializable(typeof(int))]
public sealed partial class SmokeJson : JsonSerializerContext;
