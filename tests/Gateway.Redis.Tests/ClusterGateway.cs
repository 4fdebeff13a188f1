using System.Text.Json.Serialization;

namespace Gateway.Redis.Tests;

public sealed record Notice(string Text);

[ClientEvents]
public interface IClusterEvents
{
    ValueTask Notice(Notice notice);
}

[JsonSerializable(typeof(Notice))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
public sealed partial class ClusterJsonContext : JsonSerializerContext;

/// <summary>The gateway every node of the test cluster serves.</summary>
[WebSocketGateway(Path)]
public partial class ClusterGateway
{
    public const string Path = "/cluster";

    [SubscribeMessage("whoami")]
    public string WhoAmI(GatewayClient client) => client.Id;

    [SubscribeMessage("join")]
    public bool Join(GatewayClient client, [MessageBody] string room) => client.Join(room);
}
