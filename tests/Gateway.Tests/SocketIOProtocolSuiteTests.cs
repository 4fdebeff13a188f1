using Gateway.Internal.SocketIO;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests;

/// <summary>
/// The published compliance suites of socket.io-protocol and engine.io-protocol (mocha, npm ws and fetch in Node),
/// verbatim, against a server configured as their Readmes' reference servers: Socket.IO at <c>/socket.io/</c> with the
/// reference gateways, and a bare Engine.IO echo at <c>/engine.io/</c>. The suites' heartbeat cases give a client
/// 200 ms, so they run alone, not beside the other test classes.
/// </summary>
[Collection(nameof(SocketIOProtocolSuiteTests))]
public sealed class SocketIOProtocolSuiteTests
{
    private static Task<GatewayServer> StartAsync() =>
        GatewayServer.StartAsync(
            gateways => gateways.AddGateway<SuiteMainGateway>().AddGateway<SuiteCustomGateway>().AddSocketIO(ReferenceOptions),
            configure: options => options.AllowedOrigins.Add("*"),
            services: services => services.AddFakeLogging(),
            configureApp: app =>
            {
                app.MapSocketIO();
                var options = new SocketIOOptions();
                ReferenceOptions(options);
                var echo = new EngineIoServer(options, ["*"], NullLogger.Instance, static _ => new EchoHandler());
                IApplicationBuilder engine = ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).CreateApplicationBuilder();
                engine.UseWebSockets();
                engine.Run(echo.HandleAsync);
                app.Map("/engine.io/", engine.Build());
            });

    // pingInterval 300, pingTimeout 200, maxPayload 1e6, connectTimeout 1000, as both suites expect.
    private static void ReferenceOptions(SocketIOOptions options)
    {
        options.PingInterval = TimeSpan.FromMilliseconds(300);
        options.PingTimeout = TimeSpan.FromMilliseconds(200);
        options.ConnectTimeout = TimeSpan.FromSeconds(1);
    }

    [Theory]
    [InlineData("socket.io-protocol.js")]
    [InlineData("engine.io-protocol.js")]
    public async Task The_published_protocol_suite_passes(string suite)
    {
        await using GatewayServer server = await StartAsync();
        await WarmUpAsync(SocketIOTests.Http(server));

        string output = await SampleProcess.RunNodeAsync("run-protocol-suite.mjs", null, suite, SocketIOTests.Http(server));

        Assert.Contains("passing", output);
        Assert.DoesNotContain("failing", output);
        server.AssertNothingLoggedAboveInformation();
    }

    /// <summary>
    /// Both endpoints through every request kind first (polling and WebSocket), so the suites' heartbeat cases, which
    /// give a pong 200 ms, do not meet code compiled just in time on its first request. Answers are not checked here:
    /// the suites check them.
    /// </summary>
    private static async Task WarmUpAsync(string http)
    {
        using var client = new HttpClient { BaseAddress = new Uri(http) };
        foreach (string endpoint in (string[])["/socket.io/", "/engine.io/"])
        {
            string open = await client.GetStringAsync($"{endpoint}?EIO=4&transport=polling");
            string sid = System.Text.Json.JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
            string session = $"{endpoint}?EIO=4&transport=polling&sid={sid}";
            foreach (string packet in (string[])["40", "42[\"message\",1]", "1"])
            {
                using HttpResponseMessage posted = await client.PostAsync(session, new StringContent(packet));
                using HttpResponseMessage polled = await client.GetAsync(session);
            }

            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws{http["http".Length..]}{endpoint}?EIO=4&transport=websocket"), default);
            await socket.SendAsync("40"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, default);
            await socket.ReceiveAsync(new byte[1024], default);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, default);
        }
    }

    /// <summary>engine.io-protocol's reference server: every message back as it came.</summary>
    private sealed class EchoHandler : IEngineIoHandler
    {
        public async ValueTask OnMessageAsync(EngineIoSession session, ReadOnlyMemory<byte> message, bool binary)
        {
            if (!binary)
            {
                await session.SendAsync((byte[])[(byte)'4', .. message.Span], session.Closed);
                return;
            }

            // A packet of no text and one attachment: the binary message alone.
            byte[] packet = new byte[5 + message.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), message.Length);
            message.Span.CopyTo(packet.AsSpan(5));
            await session.SendAsync(packet, session.Closed);
        }

        public void OnClose(EngineIoSession session, string reason)
        {
        }
    }
}

[CollectionDefinition(nameof(SocketIOProtocolSuiteTests), DisableParallelization = true)]
public sealed class SocketIOProtocolSuiteGroup;
