namespace Gateway;

/// <summary>What happens when a client reads more slowly than frames are pushed to it.</summary>
public enum SlowConsumerPolicy
{
    /// <summary>Close the connection with status 1008 once its queue is over the limit.</summary>
    Close,

    /// <summary>Drop the oldest queued frames to stay under the limit; the connection stays open.</summary>
    DropOldest,
}
