namespace Gateway.Internal.SocketIO;

/// <summary>Engine.IO v4's heartbeat: the server pings every PingInterval and the client must pong within PingTimeout.</summary>
internal sealed partial class EngineIoSession
{
    // A heartbeat cycle (from the open, or from a pong) ends with the next pong: the ping is due after PingInterval,
    // its pong PingTimeout later.
    private void StartCycle() =>
        Volatile.Write(
            ref _pongDeadline,
            Environment.TickCount64 + (long)(_server.Options.PingInterval + _server.Options.PingTimeout).TotalMilliseconds);

    /// <summary>
    /// Whether the client missed its pong deadline: checked when a request arrives, so a late timer never lets a session
    /// outlive its timeout.
    /// </summary>
    public bool HasExpired()
    {
        // A ping the timer has not sent yet is overdue too once its pong would be: the client itself gives up on a
        // session whose ping does not come within pingInterval + pingTimeout.
        if (Environment.TickCount64 >= Volatile.Read(ref _pongDeadline))
        {
            Close("ping timeout", byClient: false);
        }

        return IsClosed;
    }

    private void OnHeartbeat()
    {
        if (IsClosed)
        {
            return;
        }

        if (Volatile.Read(ref _awaitingPong) == 1)
        {
            Close("ping timeout", byClient: false);
            return;
        }

        // The deadline first: a request checking it (HasExpired) never sees the flag with the last round's deadline.
        // The timer is re-armed before the ping can be answered, so the pong's re-arming is never overwritten. The
        // deadline stays the one the cycle started with: a late timer gives the client no extra time, as a precise
        // one would not.
        try
        {
            _heartbeat.Change(_server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        Volatile.Write(ref _awaitingPong, 1);
        _ = PingAsync();
    }

    private async Task PingAsync()
    {
        try
        {
            await SendAsync("2"u8.ToArray(), Closed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.IsConnectionGone(ex) || ex is OperationCanceledException)
        {
            Close("transport error", byClient: false);
        }
    }

    private void OnPong()
    {
        if (Interlocked.Exchange(ref _awaitingPong, 0) == 1)
        {
            StartCycle();
            try
            {
                _heartbeat.Change(_server.Options.PingInterval, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
