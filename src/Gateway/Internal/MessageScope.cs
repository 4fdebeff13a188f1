using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Internal;

/// <summary>
/// The DI scope of one handled message, as SignalR has one per invocation: created from the root services on the
/// first service a handler asks for, and disposed when the handler's <see cref="ValueTask"/> completes. A handler
/// that takes no services creates none. The holder is reused: one per connection for messages handled one after
/// the other, one per running handler (pooled) when messages run in parallel.
/// </summary>
internal sealed class MessageScope(IServiceScopeFactory scopeFactory, GatewayValidator? validator) : IServiceProvider
{
    private IServiceScope? _scope;
    private IServiceProvider? _services;

    /// <summary>Whether a handler asked for a service since the last <see cref="EndAsync"/>.</summary>
    public bool IsActive => _scope is not null;

    /// <summary>The services of the current message; the scope is created on first use.</summary>
    public IServiceProvider Services => _services ?? Begin();

    /// <summary>The raw JSON of the running message's correlation id; empty when the client sent none.</summary>
    public ReadOnlyMemory<byte> CorrelationId { get; set; }

    /// <summary>Whether the running correlated message's last frame (a reply, an error) was sent.</summary>
    public bool Terminated { get; set; }

    /// <summary>Which top-level arguments of the message arrived as Socket.IO attachments (for a <see cref="GatewayArguments"/> body).</summary>
    public ulong BinaryArguments { get; set; }

    /// <summary>The watch over the running message while a listener wants one (duration, activity); else null.</summary>
    public MessageObservation? Observation { get; set; }

    /// <summary>The application's payload validator; null when no handler validates.</summary>
    public GatewayValidator? Validator { get; } = validator;

    /// <summary>
    /// Resolves from the message's services, creating the scope only then: what validation attributes get, so that a
    /// payload validated without services costs no scope.
    /// </summary>
    public object? GetService(Type serviceType) => Services.GetService(serviceType);

    /// <summary>Disposes the current message's scope, if one was created, and readies the holder for the next message.</summary>
    public ValueTask EndAsync()
    {
        IServiceScope? scope = _scope;
        if (scope is null)
        {
            return default;
        }

        _scope = null;
        _services = null;
        if (scope is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        scope.Dispose();
        return default;
    }

    private IServiceProvider Begin()
    {
        IServiceScope scope = scopeFactory.CreateScope();
        _scope = scope;
        return _services = scope.ServiceProvider;
    }
}
