using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CsCheck;
using Gateway.Internal;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests;

/// <summary>
/// Property tests of the envelope reader and the binder: random bytes and mutations of valid frames, handed to a real
/// <see cref="GatewayConnection"/> (in memory, beside the loopback tests), never throw out of the connection's message
/// handling, and every frame sent back is valid UTF-8 JSON. The same mutations then go over a real socket, and the
/// connection keeps answering.
/// </summary>
public sealed class EnvelopeFuzzTests
{
    private static readonly string[] s_seeds =
    [
        """{"event":"int","data":5}""",
        """{"event":"record","data":{"nick":"ann","text":"hi"}}""",
        """{"event":"element","data":[1,"two",{"three":3.0},null,true]}""",
        """{"event":"prop","data":{"n":1,"m":{"nick":"x","text":"y"}}}""",
        """{"event":"recordProp","data":{"m":{"nick":"x","text":"y"}}}""",
        """{"event":"maybeInt","data":null}""",
        """{"event":"maybeRecord"}""",
        """{"event":"maybeProp","data":{"n":null}}""",
        """{ "data" : { "n" : 2 } , "event" : "prop" , "extra" : [ { } ] }""",
        """{"event":"\u0069nt","data":"\ud800"}""",
    ];

    // Fragments a mutation inserts: escapes JSON.parse accepts and readers trip on, structure, multi-byte text.
    private static readonly string[] s_fragments =
    [
        "\\ud800", "\\udc00", "\\u0000", "\\\"", "\\", "\"", "{", "}", "[", "]", ":", ",", "null", "1e400", "-0",
        "\"event\"", "\"data\"", "안녕", "😀", "\u2028",
    ];

    /// <summary>A seed frame changed by a few random edits: bytes flipped, fragments inserted, ranges cut or repeated.</summary>
    private static readonly Gen<byte[]> s_mutated =
        Gen.Select(Gen.Int[0, s_seeds.Length - 1], Gen.Int[1, 4], Gen.Int[0, 1_000_000].Array[12], Gen.Byte.Array[4])
            .Select((seed, edits, numbers, bytes) =>
            {
                var frame = new List<byte>(Encoding.UTF8.GetBytes(s_seeds[seed]));
                for (int e = 0; e < edits && frame.Count > 0; e++)
                {
                    int at = (numbers[(e * 3) % numbers.Length]) % frame.Count;
                    int other = (numbers[((e * 3) + 1) % numbers.Length]) % frame.Count;
                    switch ((numbers[((e * 3) + 2) % numbers.Length]) % 5)
                    {
                        case 0:
                            frame[at] = bytes[e % bytes.Length];
                            break;
                        case 1:
                            frame.InsertRange(at, Encoding.UTF8.GetBytes(s_fragments[other % s_fragments.Length]));
                            break;
                        case 2:
                            frame.RemoveRange(Math.Min(at, other), Math.Abs(at - other));
                            break;
                        case 3:
                            frame.InsertRange(at, frame.GetRange(Math.Min(at, other), Math.Abs(at - other)));
                            break;
                        default:
                            frame.RemoveRange(at, frame.Count - at);
                            break;
                    }
                }

                return frame.ToArray();
            });

    private static readonly Gen<byte[]> s_frames = Gen.Frequency((1, Gen.Byte.Array[0, 64]), (4, s_mutated));

    [Fact]
    public void Random_and_mutated_frames_never_throw_out_of_message_handling_and_every_reply_is_valid_json()
    {
        foreach (bool reply in new[] { false, true })
        {
            using ServiceProvider services = BuildServices(reply);
            var socket = new RecordingWebSocket();
            GatewayConnection connection = Connect(services, socket);

            s_frames.Sample(
                frame =>
                {
                    socket.Sent.Clear();
                    ValueTask handled = connection.HandleMessageAsync(frame);
                    Assert.True(handled.IsCompleted, "every handler here completes at once");
                    handled.GetAwaiter().GetResult();
                    foreach (byte[] sent in socket.Sent)
                    {
                        Assert.True(Utf8.IsValid(sent), Convert.ToHexString(sent));
                        using JsonDocument _ = JsonDocument.Parse(sent);
                    }
                },
                iter: 20_000,
                threads: 1,
                print: frame => Convert.ToHexString(frame));
        }
    }

    [Fact]
    public async Task Mutated_frames_over_a_real_socket_leave_the_connection_answering()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<PayloadsGateway>());
        using TestClient client = await server.ConnectAsync("/payloads");
        using TestClient canary = await server.ConnectAsync("/payloads");
        byte[][] frames = s_frames.Array[300].Single();

        foreach (byte[] frame in frames)
        {
            // Text frames must be UTF-8 (the WebSocket closes the connection otherwise); binary frames may be anything.
            await client.SendAsync(frame, Utf8.IsValid(frame) ? System.Net.WebSockets.WebSocketMessageType.Text : System.Net.WebSockets.WebSocketMessageType.Binary);
        }

        // Replies to the frames that bound come first, in order; the marker's answer is the last one.
        await client.SendAsync("""{"event":"int","data":424242}""");
        string last;
        do
        {
            last = await client.ReceiveAsync();
            using JsonDocument _ = JsonDocument.Parse(last);
        }
        while (last != "424242");

        await canary.SendAsync("""{"event":"int","data":7}""");
        Assert.Equal("7", await canary.ReceiveAsync());
    }

    private static ServiceProvider BuildServices(bool replyToInvalidMessages)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, IdleLifetime>();
        services.AddGatewayCore(o => o.ReplyToInvalidMessages = replyToInvalidMessages).AddGateway<PayloadsGateway>();
        return services.BuildServiceProvider();
    }

    private static GatewayConnection Connect(ServiceProvider services, RecordingWebSocket socket)
    {
        GatewayInitializer initializer = services.GetRequiredService<GatewayInitializer>();
        GatewayBinding[] bindings = initializer.GetBindingsAsync("/payloads", 0, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var endpoint = new GatewayEndpoint(
            "/payloads",
            initializer,
            services.GetRequiredService<IOptions<GatewayOptions>>().Value,
            services.GetRequiredService<GatewayMetrics>(),
            NullLoggerFactory.Instance,
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ConnectionRegistries>().For("/payloads"),
            services.GetRequiredService<IServiceScopeFactory>());
        return new GatewayConnection(endpoint, socket, new DefaultHttpContext { RequestServices = services }, bindings);
    }

    private sealed class IdleLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
