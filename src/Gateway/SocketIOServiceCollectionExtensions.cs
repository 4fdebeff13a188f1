using Gateway;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the Socket.IO endpoint of the gateways.</summary>
public static class SocketIOServiceCollectionExtensions
{
    /// <summary>Configures <see cref="SocketIOOptions"/>; <c>app.MapSocketIO()</c> serves the endpoint (with defaults when this is not called).</summary>
    public static IGatewayBuilder AddSocketIO(this IGatewayBuilder builder, Action<SocketIOOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<SocketIOOptions> options = builder.Services.AddOptions<SocketIOOptions>()
            .Validate(static o => o.PingInterval > TimeSpan.Zero && o.PingTimeout > TimeSpan.Zero, "PingInterval and PingTimeout must be positive.")
            .Validate(static o => o.MaxHttpBufferSize > 0, "MaxHttpBufferSize must be positive.")
            .Validate(static o => !string.IsNullOrWhiteSpace(o.Path) && o.Path.StartsWith('/'), "Path must start with '/'.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }
}
