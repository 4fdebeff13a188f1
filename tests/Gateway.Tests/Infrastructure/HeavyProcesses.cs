namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Test classes that run Chromium or Node test suites (several processes each, busy for seconds): run alone, so the
/// load they put on a 2-core machine does not stall the timing-bounded waits of the classes that run in parallel.
/// </summary>
[CollectionDefinition(nameof(HeavyProcesses), DisableParallelization = true)]
public sealed class HeavyProcesses;
