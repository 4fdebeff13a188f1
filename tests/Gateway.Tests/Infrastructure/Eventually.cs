namespace Gateway.Tests.Infrastructure;

/// <summary>Waiting for what the server does in its own time, bounded by <see cref="TestClient.Timeout"/>: how long it took is never asserted.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; the test fails (cancelled) after the timeout.</summary>
    public static async Task HoldsAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
