using Microsoft.Extensions.Options;

namespace Gateway.Redis;

internal sealed class RedisBackplaneOptionsValidator : IValidateOptions<RedisBackplaneOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisBackplaneOptions options)
    {
        var failures = new List<string>();
        if (options.Configuration is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"The Redis backplane has no connection: set '{RedisBackplaneOptions.ConfigurationKey}' in configuration (e.g. --{RedisBackplaneOptions.ConfigurationKey}=127.0.0.1:6379), or RedisBackplaneOptions.ConnectionString or Configuration.");
        }

        if (string.IsNullOrWhiteSpace(options.ChannelPrefix) || options.ChannelPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add("RedisBackplaneOptions.ChannelPrefix must be non-empty and contain no white space.");
        }

        if (!Enum.IsDefined(options.FailurePolicy))
        {
            failures.Add($"RedisBackplaneOptions.FailurePolicy has the undefined value {(int)options.FailurePolicy}.");
        }

        if (options.PresenceExpiry < TimeSpan.FromMilliseconds(100))
        {
            failures.Add("RedisBackplaneOptions.PresenceExpiry must be at least 100 ms.");
        }

        TimeSpan heartbeat = options.EffectiveHeartbeat;
        if (heartbeat <= TimeSpan.Zero || heartbeat >= options.PresenceExpiry)
        {
            failures.Add("RedisBackplaneOptions.HeartbeatInterval must be positive and shorter than PresenceExpiry.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
