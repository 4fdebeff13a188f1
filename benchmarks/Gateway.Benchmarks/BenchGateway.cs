using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Benchmarks;

[WebSocketGateway]
public partial class BenchGateway
{
    [SubscribeMessage("identity")]
    public int Identity([MessageBody] int data) => data;

    [SubscribeMessage("record")]
    public Point Record([MessageBody] Point point) => point with { X = point.X + 1 };

    [SubscribeMessage("events")]
    public WsResponse<int> Events([MessageBody] int data) => new("events", data);

    /// <summary>Takes a scoped service: the cost of the per-message DI scope.</summary>
    [SubscribeMessage("scoped")]
    public int Scoped([MessageBody] int data, [FromServices] BenchScopedService service) => data + service.Offset;
}

/// <summary>A scoped service, as a DbContext would be.</summary>
public sealed class BenchScopedService
{
    public int Offset => 1;
}

public sealed record Point(int X, int Y);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Point))]
[JsonSerializable(typeof(int))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
