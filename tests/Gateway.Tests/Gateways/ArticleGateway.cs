namespace Gateway.Tests.Gateways;

/// <summary>The article's gateway (spec section 6).</summary>
[WebSocketGateway]
public partial class ArticleGateway
{
    [SubscribeMessage("events")]
    public WsResponse<int[]> FindAll() => new("events", [1, 2, 3]);

    [SubscribeMessage("identity")]
    public int Identity([MessageBody] int data) => data;
}
