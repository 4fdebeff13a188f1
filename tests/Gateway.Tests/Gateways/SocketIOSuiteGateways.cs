using System.Text.Json;

namespace Gateway.Tests.Gateways;

/// <summary>
/// The reference server of socket.io-protocol's test suite (its Readme): the <c>auth</c> payload sent back on connect,
/// <c>message</c> echoed as <c>message-back</c> with every argument, <c>message-with-ack</c> acknowledged with them.
/// </summary>
[WebSocketGateway("/suite")]
public partial class SuiteMainGateway : IOnGatewayConnection
{
    public ValueTask OnConnectedAsync(GatewayClient client, Microsoft.AspNetCore.Http.HttpContext httpContext) => SendAuthAsync(client);

    internal static ValueTask SendAuthAsync(GatewayClient client) =>
        client.SendAsync(
            "auth",
            client.Auth.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("{}").RootElement : client.Auth,
            TestJsonContext.Default.JsonElement);

    [SubscribeMessage("message")]
    public ValueTask Message(GatewayClient client, [MessageBody] GatewayArguments arguments) =>
        client.SendAsync("message-back", arguments, TestJsonContext.Default.GatewayArguments);

    [SubscribeMessage("message-with-ack")]
    public GatewayArguments MessageWithAck([MessageBody] GatewayArguments arguments) => arguments;
}

/// <summary>The suite's <c>/custom</c> namespace.</summary>
[WebSocketGateway("/suite-custom", Namespace = "/custom")]
public partial class SuiteCustomGateway : IOnGatewayConnection
{
    public ValueTask OnConnectedAsync(GatewayClient client, Microsoft.AspNetCore.Http.HttpContext httpContext) => SuiteMainGateway.SendAuthAsync(client);
}
