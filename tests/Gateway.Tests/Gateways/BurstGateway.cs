using Gateway.Infrastructure;

namespace Gateway.Tests.Gateways;

[WebSocketGateway("/burst")]
public partial class BurstGateway
{
    /// <summary>Sends from many producers at once to one client: frames must never interleave.</summary>
    [SubscribeMessage("burst")]
    public async Task Burst(GatewayClient client, [MessageBody("producers")] int producers, [MessageBody("frames")] int frames)
    {
        await Task.WhenAll(Enumerable.Range(0, producers).Select(producer => Task.Run(async () =>
        {
            for (int i = 0; i < frames; i++)
            {
                await client.SendAsync($"p{producer}", new string('x', 200 + (i % 50)) + i.ToString(System.Globalization.CultureInfo.InvariantCulture), GatewayJsonContext.Default.String);
            }
        })));
        await client.SendAsync("done", producers * frames, GatewayJsonContext.Default.Int32);
    }
}
