using System.ComponentModel;

namespace Gateway.Infrastructure;

/// <summary>
/// The generated implementations of <see cref="ClientEventsAttribute"/> contracts, registered by a module initializer
/// in the assembly that declares them; <c>As&lt;TEvents&gt;()</c> looks them up without reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GatewayClientEvents
{
    /// <summary>Registers the generated implementation of <typeparamref name="TEvents"/>.</summary>
    public static void Register<TEvents>(Func<IGatewayEventSink, TEvents> factory) where TEvents : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        Factory<TEvents>.Create = factory;
    }

    internal static TEvents Create<TEvents>(IGatewayEventSink sink) where TEvents : class =>
        Factory<TEvents>.Create?.Invoke(sink)
        ?? throw new InvalidOperationException(
            $"{typeof(TEvents)} has no generated implementation: mark the interface with [ClientEvents].");

    private static class Factory<TEvents> where TEvents : class
    {
        public static Func<IGatewayEventSink, TEvents>? Create;
    }
}
