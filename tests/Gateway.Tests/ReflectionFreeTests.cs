using Gateway.Tests.Infrastructure;

namespace Gateway.Tests;

/// <summary>No reflection on any runtime path: the runtime, and an app's generated code (the Events sample).</summary>
public sealed class ReflectionFreeTests
{
    [Fact]
    public void The_runtime_references_no_reflection()
    {
        Assert.Empty(ReflectionScanner.Scan(typeof(GatewayClient).Assembly.Location));
    }

    [Fact]
    public void The_generated_code_of_the_sample_references_no_reflection()
    {
        string sample = ChildProcess.AssemblyMetadata("EventsSample");
        Assert.True(File.Exists(sample), $"The Events sample is not built at {sample}.");

        Assert.Empty(ReflectionScanner.Scan(sample));
    }

    [Fact]
    public void The_scanner_finds_reflection_where_there_is_some()
    {
        // This test assembly reads its metadata attributes and uses reflection-based JSON on purpose below.
        _ = System.Text.Json.JsonSerializer.Serialize(new { a = 1 });

        IReadOnlyList<string> findings = ReflectionScanner.Scan(typeof(ReflectionFreeTests).Assembly.Location);

        Assert.Contains(findings, f => f.StartsWith("type System.Reflection.CustomAttributeExtensions", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("reflection-based System.Text.Json.JsonSerializer.Serialize", StringComparison.Ordinal));
    }
}
