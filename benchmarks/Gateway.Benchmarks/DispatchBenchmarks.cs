using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Gateway.Benchmarks;

/// <summary>
/// Per-message cost of the generated path, in memory, from inbound bytes to reply bytes, beside a hand-written
/// Utf8JsonReader/Utf8JsonWriter baseline doing the same job in the same run.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DispatchBenchmarks
{
    private static readonly byte[] s_identity = """{"event":"identity","data":42}"""u8.ToArray();
    private static readonly byte[] s_record = """{"event":"record","data":{"x":1,"y":2}}"""u8.ToArray();
    private static readonly byte[] s_events = """{"event":"events","data":7}"""u8.ToArray();
    private static readonly byte[] s_unknown = """{"event":"nope","data":1}"""u8.ToArray();
    private static readonly byte[] s_scoped = """{"event":"scoped","data":42}"""u8.ToArray();
    private static readonly byte[] s_malformed = """{"event":"identity","data":[1,}"""u8.ToArray();

    private InMemoryConnection _gateway = null!;
    private HandWrittenDispatcher _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gateway = InMemoryConnection.Create();
        _handWritten = new HandWrittenDispatcher(new NullWebSocket());
    }

    [GlobalCleanup]
    public void Cleanup() => _gateway.Dispose();

    [BenchmarkCategory("identity(int)"), Benchmark(Baseline = true)]
    public ValueTask Identity_HandWritten() => _handWritten.HandleAsync(s_identity);

    [BenchmarkCategory("identity(int)"), Benchmark]
    public ValueTask Identity_Gateway() => _gateway.Connection.HandleMessageAsync(s_identity);

    [BenchmarkCategory("record"), Benchmark(Baseline = true)]
    public ValueTask Record_HandWritten() => _handWritten.HandleAsync(s_record);

    [BenchmarkCategory("record"), Benchmark]
    public ValueTask Record_Gateway() => _gateway.Connection.HandleMessageAsync(s_record);

    [BenchmarkCategory("WsResponse"), Benchmark(Baseline = true)]
    public ValueTask WsResponse_HandWritten() => _handWritten.HandleAsync(s_events);

    [BenchmarkCategory("WsResponse"), Benchmark]
    public ValueTask WsResponse_Gateway() => _gateway.Connection.HandleMessageAsync(s_events);

    [BenchmarkCategory("unknown event"), Benchmark(Baseline = true)]
    public ValueTask Unknown_HandWritten() => _handWritten.HandleAsync(s_unknown);

    [BenchmarkCategory("unknown event"), Benchmark]
    public ValueTask Unknown_Gateway() => _gateway.Connection.HandleMessageAsync(s_unknown);

    /// <summary>Identity with a scoped service: a DI scope is created and disposed per message (no baseline).</summary>
    [BenchmarkCategory("scoped service"), Benchmark]
    public ValueTask Scoped_Gateway() => _gateway.Connection.HandleMessageAsync(s_scoped);

    [BenchmarkCategory("malformed"), Benchmark(Baseline = true)]
    public ValueTask Malformed_HandWritten() => _handWritten.HandleAsync(s_malformed);

    [BenchmarkCategory("malformed"), Benchmark]
    public ValueTask Malformed_Gateway() => _gateway.Connection.HandleMessageAsync(s_malformed);
}
