using System.Text.Json;

namespace Gateway.Tests.Gateways;

/// <summary>Body parameters that take null and ones that do not, for what a missing or null <c>data</c> becomes.</summary>
[WebSocketGateway("/payloads")]
public partial class PayloadsGateway
{
    [SubscribeMessage("int")]
    public int Number([MessageBody] int value) => value;

    [SubscribeMessage("record")]
    public string Record([MessageBody] ChatMessage message) => message.Nick;

    [SubscribeMessage("element")]
    public string Element([MessageBody] JsonElement data) => data.ValueKind.ToString();

    [SubscribeMessage("prop")]
    public int Prop([MessageBody("n")] int n) => n;

    [SubscribeMessage("recordProp")]
    public string RecordProp([MessageBody("m")] ChatMessage message) => message.Nick;

    [SubscribeMessage("maybeInt")]
    public string MaybeInt([MessageBody] int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";

    [SubscribeMessage("maybeRecord")]
    public string MaybeRecord([MessageBody] ChatMessage? message) => message?.Nick ?? "null";

    [SubscribeMessage("maybeProp")]
    public string MaybeProp([MessageBody("n")] int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}
