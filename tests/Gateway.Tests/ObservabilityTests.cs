using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Gateway.Infrastructure;
using Gateway.Internal;
using Gateway.Tests.Gateways;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests;

/// <summary>
/// The meter, the activities, the logs and the health check, watched over real loopback traffic: each instrument
/// moves as docs/observability.md says for connects, messages, errors, drops and closes. Run alone: an activity
/// listener hears every server of the process, so no other test may be sending messages meanwhile.
/// </summary>
[Collection(nameof(ObservabilityTests))]
public sealed class ObservabilityTests
{
    private static MetricCollector<T> Collect<T>(GatewayServer server, string instrument) where T : struct =>
        new(server.Services.GetRequiredService<IMeterFactory>(), GatewayDiagnostics.MeterName, instrument);

    private static T Sum<T>(MetricCollector<T> collector, params (string Tag, object? Value)[] tags) where T : struct, System.Numerics.INumber<T> =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Tag), t.Value)))
            .Aggregate(T.Zero, static (sum, m) => sum + m.Value);

    [Fact]
    public async Task Connections_messages_bytes_errors_and_closes_move_their_instruments()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ErrorsGateway>());
        using MetricCollector<long> active = Collect<long>(server, "gateway.server.active_connections");
        using MetricCollector<double> duration = Collect<double>(server, "gateway.server.connection.duration");
        using MetricCollector<long> received = Collect<long>(server, "gateway.server.messages.received");
        using MetricCollector<long> receivedBytes = Collect<long>(server, "gateway.server.received_bytes");
        using MetricCollector<long> sent = Collect<long>(server, "gateway.server.messages.sent");
        using MetricCollector<long> sentBytes = Collect<long>(server, "gateway.server.sent_bytes");
        using MetricCollector<long> errors = Collect<long>(server, "gateway.server.errors");
        using MetricCollector<double> handlers = Collect<double>(server, "gateway.server.handler.duration");

        TestClient client = await TestClient.ConnectAsync(server.Url("/errors"));
        const string ok = """{"event":"ok"}""";
        string okReply = await client.AskAsync(ok);
        string crashReply = await client.AskAsync("""{"event":"crash"}""");
        string wsReply = await client.AskAsync("""{"event":"wsString","data":1}""");
        string invalidReply = await client.AskAsync("""{"event":"typed","data":5}""");
        await client.SendAsync("""{"event":"nobody-handles-this"}""");
        await client.SendAsync("not json");
        Assert.Equal(okReply, await client.AskAsync(ok));
        await client.CloseAsync();
        await Eventually.HoldsAsync(() => duration.GetMeasurementSnapshot().Count == 1);

        (string, object?) path = ("gateway.path", "/errors");
        Assert.Equal([1L, -1L], active.GetMeasurementSnapshot().Select(static m => m.Value));
        Assert.All(active.GetMeasurementSnapshot(), static m => Assert.Equal("/errors", m.Tags["gateway.path"]));
        Assert.Equal("normal_closure", duration.GetMeasurementSnapshot().Single().Tags["gateway.connection.status"]);
        Assert.True(duration.GetMeasurementSnapshot().Single().Value > 0);

        Assert.Equal(2, Sum(received, path, ("gateway.event", "ok")));
        Assert.Equal(1, Sum(received, path, ("gateway.event", "crash")));
        Assert.Equal(2, Sum(received, path, ("gateway.event", GatewayMetrics.UnknownEvent)));
        Assert.Equal(7, Sum(received, path));
        int inbound = new[] { ok, """{"event":"crash"}""", """{"event":"wsString","data":1}""", """{"event":"typed","data":5}""",
            """{"event":"nobody-handles-this"}""", "not json", ok }.Sum(static f => Encoding.UTF8.GetByteCount(f));
        Assert.Equal(inbound, Sum(receivedBytes, path));
        Assert.Equal(5, Sum(sent, path));
        Assert.Equal(new[] { okReply, crashReply, wsReply, invalidReply, okReply }.Sum(static f => Encoding.UTF8.GetByteCount(f)), Sum(sentBytes, path));

        Assert.Equal(1, Sum(errors, ("gateway.event", "crash"), ("error.type", "handler_exception")));
        Assert.Equal(1, Sum(errors, ("gateway.event", "wsString"), ("error.type", "ws_exception")));
        Assert.Equal(1, Sum(errors, ("gateway.event", "typed"), ("error.type", "invalid_payload")));
        Assert.Equal(1, Sum(errors, ("gateway.event", GatewayMetrics.UnknownEvent), ("error.type", "unknown_event")));
        Assert.Equal(1, Sum(errors, ("gateway.event", GatewayMetrics.UnknownEvent), ("error.type", "invalid_json")));
        Assert.Equal(5, Sum(errors));

        Assert.Equal(
            ["crash:handler_exception", "ok:ok", "ok:ok", "typed:invalid_payload", "wsString:ws_exception"],
            handlers.GetMeasurementSnapshot().Select(static m => $"{m.Tags["gateway.event"]}:{m.Tags["gateway.outcome"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Refused_handshakes_drops_queues_and_broadcasts_are_counted()
    {
        const int buffer = 16 * 1024;
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ChatGateway>(),
            o =>
            {
                o.MaxQueuedBytesPerConnection = 64 * 1024;
                o.SlowConsumerPolicy = SlowConsumerPolicy.DropOldest;
            },
            services => GatewayServer.FixSendBuffer(services, buffer));
        using MetricCollector<long> rejected = Collect<long>(server, "gateway.server.connections.rejected");
        using MetricCollector<long> dropped = Collect<long>(server, "gateway.server.frames.dropped");
        using MetricCollector<long> queued = Collect<long>(server, "gateway.server.outbound_queue.size");
        using MetricCollector<int> recipients = Collect<int>(server, "gateway.server.broadcast.recipients");

        (TestClient? refused, _) = await TestClient.TryConnectAsync(server.Url("/chat"), o => o.SetRequestHeader("Origin", "https://elsewhere.example"));
        using TestClient slow = await TestClient.ConnectAsync(server.Url("/chat"), buffer);
        using TestClient other = await TestClient.ConnectAsync(server.Url("/chat"), buffer);
        await slow.SendAsync("""{"event":"whoami"}""");
        await slow.ReceiveAsync();
        await other.SendAsync("""{"event":"whoami"}""");
        await other.ReceiveAsync();

        // Far more than the buffers and the queue hold: the slow client never reads, so its oldest frames go.
        IGatewayServer<ChatGateway> chat = server.Services.GetRequiredService<IGatewayServer<ChatGateway>>();
        string filler = new('x', 1000);
        for (int i = 0; i < 2000; i++)
        {
            chat.All.Send("seq", filler, GatewayJsonContext.Default.String);
        }

        queued.RecordObservableInstruments();

        Assert.Null(refused);
        Assert.Equal(1, Sum(rejected, ("gateway.path", "/chat"), ("gateway.reject.reason", "origin")));
        Assert.True(Sum(dropped, ("gateway.path", "/chat"), ("gateway.drop.reason", "queue_full")) > 0);
        Assert.True(Sum(queued, ("gateway.path", "/chat")) > 0);
        Assert.Equal(2000, recipients.GetMeasurementSnapshot().Count);
        Assert.All(recipients.GetMeasurementSnapshot(), static m => Assert.Equal(2, m.Value));
    }

    [Fact]
    public async Task Each_handled_message_is_an_activity_linked_to_the_handshake_and_parented_to_the_clients_trace()
    {
        var activities = new List<Activity>();
        var requests = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is GatewayDiagnostics.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.Source.Name == "Microsoft.AspNetCore")
                {
                    lock (requests)
                    {
                        requests.Add(activity);
                    }
                }
            },
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using GatewayServer server = await GatewayServer.StartAsync(g => g.AddGateway<ErrorsGateway>());

        using TestClient client = await TestClient.ConnectAsync(server.Url("/errors"));
        var clientTrace = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        await client.AskAsync("""{"event":"ok"}""");
        await client.AskAsync($$"""{"event":"ok","traceparent":"00-{{clientTrace}}-{{clientSpan}}-01","tracestate":"vendor=1"}""");
        await client.AskAsync("""{"event":"crash"}""");
        Activity[] messages = [];
        await Eventually.HoldsAsync(() =>
        {
            lock (activities)
            {
                messages = [.. activities.Where(static a => a.Source.Name == GatewayDiagnostics.ActivitySourceName)];
            }

            return messages.Length == 3;
        });
        string connectionId = (string)messages[0].GetTagItem("gateway.connection.id")!;

        Assert.All(messages, static a =>
        {
            Assert.Equal("Gateway.HandleMessage", a.OperationName);
            Assert.Equal(ActivityKind.Server, a.Kind);
            Assert.Equal("ErrorsGateway", a.GetTagItem("gateway.name"));
            Assert.Equal("/errors", a.GetTagItem("gateway.path"));
            Assert.Equal($"ErrorsGateway/{a.GetTagItem("gateway.event")}", a.DisplayName);
        });
        // The upgrade request (ASP.NET Core's activity, running as long as the connection) is linked, never the parent.
        Activity upgrade;
        lock (requests)
        {
            upgrade = Assert.Single(requests);
        }

        Assert.All(messages, a => Assert.Equal(upgrade.Context, Assert.Single(a.Links).Context));
        Assert.All(messages, a => Assert.NotEqual(upgrade.SpanId, a.ParentSpanId));
        Assert.All(messages, a => Assert.Equal(connectionId, a.GetTagItem("gateway.connection.id")));

        Assert.Equal(default, messages[0].ParentSpanId);
        Assert.NotEqual(upgrade.TraceId, messages[0].TraceId);
        Assert.Equal("ok", messages[0].GetTagItem("gateway.outcome"));
        Assert.Equal(clientTrace, messages[1].TraceId);
        Assert.Equal(clientSpan, messages[1].ParentSpanId);
        Assert.Equal("vendor=1", messages[1].TraceStateString);
        Assert.Equal("handler_exception", messages[2].GetTagItem("gateway.outcome"));
        Assert.Equal(ActivityStatusCode.Error, messages[2].Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, messages[2].GetTagItem("error.type"));
    }

    [Fact]
    public async Task Logs_use_type_name_categories_and_a_connection_scope_and_never_the_payload()
    {
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ErrorsGateway>(),
            services: s => s.AddFakeLogging().AddLogging(b => b.AddFilter("Gateway", LogLevel.Trace)));

        using TestClient client = await TestClient.ConnectAsync(server.Url("/errors"));
        await client.SendAsync("""{"event":"nobody","data":"secret-payload"}""");
        await client.AskAsync("""{"event":"crash","data":"secret-payload"}""");
        await client.CloseAsync();
        FakeLogCollector logs = server.Services.GetFakeLogCollector();
        await Eventually.HoldsAsync(() => logs.GetSnapshot().Any(static r => r.Message.Contains("closed", StringComparison.Ordinal)));
        FakeLogRecord[] records = [.. logs.GetSnapshot().Where(static r => r.Category?.StartsWith("Gateway", StringComparison.Ordinal) == true)];

        Assert.Contains(records, static r => r.Category == "Gateway.Internal.GatewayConnection" && r.Id.Id == 1);
        Assert.All(records.Where(static r => r.Category == "Gateway.Internal.GatewayConnection"), static r =>
        {
            var scope = Assert.Single(
                r.Scopes.OfType<IReadOnlyList<KeyValuePair<string, object?>>>(), static s => s.Any(static p => p.Key == "GatewayPath"));
            Assert.Equal("/errors", scope.Single(static p => p.Key == "GatewayPath").Value);
            Assert.False(string.IsNullOrEmpty((string?)scope.Single(static p => p.Key == "ConnectionId").Value));
        });
        Assert.Contains(records, static r => r.Id.Id == 4 && r.Level == LogLevel.Error);
        Assert.DoesNotContain(records, static r => r.Message.Contains("secret-payload", StringComparison.Ordinal)
            || (r.Exception?.ToString().Contains("secret-payload", StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task The_health_check_reports_connections_a_lost_backplane_and_shutting_down()
    {
        var backplane = new StubBackplane();
        await using GatewayServer server = await GatewayServer.StartAsync(
            g => g.AddGateway<ErrorsGateway>(),
            services: s =>
            {
                s.AddSingleton<IGatewayBackplane>(backplane);
                s.AddHealthChecks().AddGatewayHealthChecks();
            });
        HealthCheckService health = server.Services.GetRequiredService<HealthCheckService>();

        using TestClient client = await TestClient.ConnectAsync(server.Url("/errors"));
        await client.AskAsync("""{"event":"ok"}""");
        HealthReportEntry healthy = (await health.CheckHealthAsync()).Entries["gateway"];
        backplane.IsAvailable = false;
        HealthReportEntry degraded = (await health.CheckHealthAsync()).Entries["gateway"];
        server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        HealthReportEntry stopping = (await health.CheckHealthAsync()).Entries["gateway"];

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(1, healthy.Data["connections"]);
        Assert.Equal(1, healthy.Data["connections /errors"]);
        Assert.Equal("available", healthy.Data["backplane"]);
        Assert.Contains("ready", healthy.Tags);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(HealthStatus.Unhealthy, stopping.Status);
    }

    private sealed class StubBackplane : IGatewayBackplane
    {
        public bool IsAvailable { get; set; } = true;

        public void Attach(ConnectionRegistry registry)
        {
        }

        public void Publish(ConnectionRegistry registry, GatewayTarget.TargetKind kind, string[] keys, SharedFrame frame, string[]? except)
        {
        }

        public void Connected(ConnectionRegistry registry, GatewayClient client, bool firstOfUser)
        {
        }

        public void Disconnected(ConnectionRegistry registry, GatewayClient client, bool lastOfUser)
        {
        }

        public void Joined(ConnectionRegistry registry, GatewayClient client, string room, bool firstMember)
        {
        }

        public void Left(ConnectionRegistry registry, GatewayClient client, string room, bool lastMember)
        {
        }
    }
}

/// <summary>Runs <see cref="ObservabilityTests"/> with no other test class beside it.</summary>
[CollectionDefinition(nameof(ObservabilityTests), DisableParallelization = true)]
public sealed class RunsAlone;
