using System.Net.WebSockets;
using System.Text;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>
/// Every frame Gateway sends is byte for byte what a NestJS server sends for the same frame: Node reads each frame
/// the test sends as NestJS does (<c>Buffer.toString()</c>, <c>JSON.parse</c>) and writes the expected answer with
/// <c>JSON.stringify</c> (node/stringify.js); the test compares the bytes Gateway sent with those.
/// </summary>
public sealed class JsonStringifyTests : IAsyncLifetime
{
    /// <summary>Strings, as JSON text a client might send: raw and escaped, every character JSON.stringify treats apart.</summary>
    private static readonly string[] s_strings =
    [
        "\"안녕하세요, 세계\"",
        "\"\\uC548\\uB155\"",
        "\"😀👍🏽 emoji\"",
        "\"\\ud83d\\ude00\"",
        "\"<b>&'\\\"</b>\"",
        "\"\u2028\u2029\"",
        "\"\\u2028\\u2029\"",
        "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\u007f\u007f\"",
        "\"a\\/b\\\\c\"",
        "\"é ü ß ø 中文 Ωmega\"",
        "\"\"",
    ];

    /// <summary>Values only a <see cref="System.Text.Json.JsonElement"/> carries as they are: lone surrogates, numbers, objects.</summary>
    private static readonly string[] s_values =
    [
        "\"\\ud800\"",
        "\"x\\udc00y\"",
        "\"\\ud83d\"",
        "\"\\ude00\\ud83d\"",
        """{ "이름" : "값", "\u0041" : [ true , false , null , { } , [ ] ] }""",
        """[1.0, 1e2, 1E21, 1e-7, 0.000001, 1.5e-7, -0, -0.0, 123456789012345678901234, 0.1, 1e400, 5e-324, 9007199254740993]""",
        """{"\ud800":"lone name"}""",
    ];

    private GatewayServer _server = null!;
    private TestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(g => g.AddGateway<StringifyGateway>());
        _client = await _server.ConnectAsync("/stringify");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_frame_is_byte_identical_to_JSON_stringify_of_the_same_value()
    {
        var cases = new List<Case>();
        foreach (string text in s_strings)
        {
            cases.Add(new("element", text, [text]));
            cases.Add(new("string", text, [text]));
            cases.Add(new("event", text, [$$"""{"event":{{text}},"data":{{text}}}"""]));
            cases.Add(new("fail", $$"""{"m":{{text}}}""", [Exception(text, "fail", $$"""{"m":{{text}}}""")]));
            cases.Add(new("int", text, [Exception("\"Invalid payload\"", "int", text)]));
            cases.Add(new("push", text, [$$"""{"event":"push","data":{{text}}}""", "1"]));
        }

        foreach (string value in s_values)
        {
            cases.Add(new("element", value, [value]));
            cases.Add(new("int", value, [Exception("\"Invalid payload\"", "int", value)]));
        }

        // Binary frames are not checked for UTF-8 by the WebSocket: NestJS reads invalid bytes as U+FFFD.
        byte[] invalid = [0x22, (byte)'a', 0xFF, 0xFE, (byte)'b', 0xC3, 0x22];
        cases.Add(new("element", "", [], Binary: invalid));
        cases.Add(new("int", "", [], Binary: invalid));

        string[] expected = await StringifyInNodeAsync(cases);
        int next = 0;
        foreach (Case c in cases)
        {
            await _client.SendAsync(c.Frame, c.Binary is null ? WebSocketMessageType.Text : WebSocketMessageType.Binary);
            foreach (string _ in c.Binary is null ? c.Expected : ["one frame"])
            {
                TestClient.Message message = await _client.ReceiveMessageAsync();
                Assert.Equal(WebSocketMessageType.Text, message.Type);
                string want = expected[next++];
                string got = Convert.ToBase64String(message.Payload!);
                Assert.True(
                    want == got,
                    $"{c.Event} with {Encoding.UTF8.GetString(c.Frame)}:\n" +
                    $"  JSON.stringify: {Encoding.UTF8.GetString(Convert.FromBase64String(want))}\n" +
                    $"  Gateway:        {message.Text}");
            }
        }

        Assert.Equal(expected.Length, next);
    }

    /// <summary>What NestJS answers, one base64 line per expected frame, in the order the cases send them.</summary>
    private static async Task<string[]> StringifyInNodeAsync(List<Case> cases)
    {
        string input = Path.GetTempFileName();
        try
        {
            IEnumerable<byte[]> frames = cases.SelectMany(c => c.Binary is null
                ? c.Expected.Select(Encoding.UTF8.GetBytes)
                : [c.Event == "element" ? c.Binary : [.. """{"event":"exception","data":{"status":"error","message":"Invalid payload","cause":{"pattern":"int","data":"""u8, .. c.Binary, .. "}}}"u8]]);
            await File.WriteAllLinesAsync(input, frames.Select(Convert.ToBase64String));
            string output = await SampleProcess.RunNodeAsync("stringify.js", server: null, input);
            return SampleProcess.Lines(output);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string Exception(string message, string pattern, string data) =>
        $$"""{"event":"exception","data":{"status":"error","message":{{message}},"cause":{"pattern":"{{pattern}}","data":""" + data + "}}}";

    /// <summary>A frame to send (text, or <paramref name="Binary"/> bytes as the data) and the JSON of each answer.</summary>
    private sealed record Case(string Event, string Data, string[] Expected, byte[]? Binary = null)
    {
        public byte[] Frame => Binary is null
            ? Encoding.UTF8.GetBytes($$"""{"event":"{{Event}}","data":{{Data}}}""")
            : [.. Encoding.UTF8.GetBytes($$"""{"event":"{{Event}}","data":"""), .. Binary, (byte)'}'];
    }
}
