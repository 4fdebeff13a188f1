using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Gateway.Internal.Resumption;

/// <summary>
/// The resumable connections of one gateway path, by token, and for a while (two windows, a minute at least) the
/// outcome of those that ended, so that a client coming back late is told why (expired, overflow) rather than only
/// that there is no such one.
/// </summary>
internal sealed class ResumableSessions(GatewayResumptionOptions options, GatewayMetrics metrics, ILogger logger, string path)
{
    private readonly ConcurrentDictionary<string, ResumableSocket> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _ended = new(StringComparer.Ordinal);

    public GatewayResumptionOptions Options { get; } = options;

    public ILogger Logger { get; } = logger;

    public int Count => _sessions.Count;

    /// <summary>A secret of 256 random bits, URL-safe.</summary>
    public static string NewToken() => RandomIds.Create(32);

    public void Register(string token, ResumableSocket session) => _sessions[token] = session;

    /// <summary>Whether a connection of <paramref name="token"/> is here (away or not).</summary>
    public bool Waits(string token) => _sessions.ContainsKey(token);

    public void Ended(string token, string? outcome)
    {
        _sessions.TryRemove(token, out _);
        if (outcome is not null)
        {
            _ended[token] = outcome;
            _ = ForgetAsync(token);
        }
    }

    /// <summary>Hands <paramref name="transport"/> to the connection of <paramref name="token"/>.</summary>
    /// <returns>The outcome, and when resumed, a task that completes when the connection is done with the transport.</returns>
    public async Task<(string Outcome, Task? TransportDone)> ResumeAsync(string token, long received, WebSocket transport, CancellationToken cancellationToken)
    {
        (string outcome, Task? done) = _sessions.TryGetValue(token, out ResumableSocket? session)
            ? await session.ResumeAsync(transport, received, cancellationToken).ConfigureAwait(false)
            : (_ended.TryGetValue(token, out string? ended) ? ended : ResumptionOutcome.Unknown, null);
        if (done is null)
        {
            Log.ConnectionNotResumed(Logger, outcome);
        }

        metrics.Resumption(path, outcome);
        return (outcome, done);
    }

    private async Task ForgetAsync(string token)
    {
        TimeSpan kept = Options.Window * 2;
        await Task.Delay(kept < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : kept).ConfigureAwait(false);
        _ended.TryRemove(token, out _);
    }
}
