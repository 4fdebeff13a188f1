using System.Text;
using System.Text.Json;
using CsCheck;
using Gateway.Internal.Protocol;

namespace Gateway.Tests;

/// <summary>
/// The <c>["event", data]</c> reader (<see cref="GatewayMessageFormat.Array"/>) against an oracle, System.Text.Json's
/// own document reader: on random text it never throws, and whenever the text is a JSON array whose first element is
/// a string, it finds that event name and exactly the second element's JSON as the data.
/// </summary>
public sealed class ArrayParserPropertyTests
{
    private static readonly Gen<string> s_element = Pick(
        "1", "-0.5e3", "\"x\"", "\"\\u0069\"", "null", "true", "[]", "[1,[2]]", "{}", "{\"a\":[{\"b\":null}]}", "\"안녕\"", "\"\\ud800\"");

    private static readonly Gen<string> s_array =
        Gen.Select(Pick("\"identity\"", "\"events\"", "\"ev\\u0065nts\"", "5", "{}", "[]"), s_element.Array[0, 4], Pick("", " ", "\n"))
            .Select(static (first, rest, space) => "[" + space + string.Join("," + space, [first, .. rest]) + space + "]");

    // Valid arrays, arrays cut short or with a tail, and raw noise.
    private static readonly Gen<string> s_text = Gen.OneOf(
        s_array,
        s_array.Select(Gen.Int[0, 100]).Select(static (a, cut) => a[..(cut % (a.Length + 1))]),
        s_array.Select(static a => a + " [1]"),
        Gen.String);

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact]
    public void Parse_agrees_with_the_document_reader_and_never_throws()
    {
        s_text.Sample(text =>
        {
            byte[] message = Encoding.UTF8.GetBytes(text);
            Span<byte> scratch = stackalloc byte[WireProtocol.MaxEventNameLength];
            InboundStatus status = NestWsArrayProtocol.Instance.Parse(message, scratch, out ReadOnlySpan<byte> name, out Range data, out Range id);

            string? expectedEvent = null;
            string? expectedData = null;
            bool isJson;
            try
            {
                using JsonDocument document = JsonDocument.Parse(message);
                isJson = true;
                if (document.RootElement.ValueKind == JsonValueKind.Array
                    && document.RootElement.GetArrayLength() > 0
                    && document.RootElement[0].ValueKind == JsonValueKind.String)
                {
                    expectedEvent = document.RootElement[0].GetString();
                    expectedData = document.RootElement.GetArrayLength() > 1 ? document.RootElement[1].GetRawText() : null;
                }
            }
            catch (JsonException)
            {
                isJson = false;
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate as the event: JSON, but no name a handler can have.
                isJson = true;
                expectedEvent = "\ud800";
            }

            Assert.Equal(default, id);
            if (!isJson)
            {
                Assert.Equal(InboundStatus.InvalidJson, status);
                return;
            }

            if (expectedEvent is null)
            {
                Assert.Contains(status, new[] { InboundStatus.NotAnObject, InboundStatus.MissingEvent });
                return;
            }

            if (status == InboundStatus.UnknownEvent)
            {
                return;
            }

            Assert.Equal(InboundStatus.Ok, status);
            Assert.Equal(expectedEvent, Encoding.UTF8.GetString(name));
            Assert.Equal(expectedData, data.End.Value == data.Start.Value ? null : Encoding.UTF8.GetString(message[data]));
        }, iter: 5000);
    }
}
