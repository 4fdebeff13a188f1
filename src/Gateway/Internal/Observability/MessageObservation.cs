using System.Diagnostics;

namespace Gateway.Internal;

/// <summary>
/// What is watched of one handled message while a listener wants it (the handler duration histogram, the message's
/// activity): its start, its outcome, and the end that records both. Allocated only then; an unobserved message
/// never reads the clock.
/// </summary>
internal sealed class MessageObservation(GatewayMetrics metrics, string path, string @event, Activity? activity)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _outcome;
    private Exception? _error;

    /// <summary>Sets the outcome; the first one set wins (a failure reported before the handler's end).</summary>
    public void End(string outcome, Exception? error = null)
    {
        _outcome ??= outcome;
        _error ??= error;
    }

    public void Complete()
    {
        string outcome = _outcome ?? Outcomes.Ok;
        if (metrics.HandlerDurationEnabled)
        {
            metrics.HandlerCompleted(path, @event, outcome, Stopwatch.GetElapsedTime(_started).TotalSeconds);
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("gateway.outcome", outcome);
        if (outcome == Outcomes.HandlerException)
        {
            // A bug of the application's handler: the span says so, with the exception's type (never its data).
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", _error?.GetType().FullName ?? outcome);
        }

        activity.Dispose();
    }
}
