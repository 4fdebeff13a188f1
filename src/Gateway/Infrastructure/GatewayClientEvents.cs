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

    /// <summary>
    /// Registers the generated implementation of <typeparamref name="TEvents"/> and what its events send, which
    /// contract documents read (<paramref name="describe"/> runs only when one is built).
    /// </summary>
    public static void Register<TEvents>(Func<IGatewayEventSink, TEvents> factory, Func<IReadOnlyList<GatewayClientEvent>> describe)
        where TEvents : class
    {
        ArgumentNullException.ThrowIfNull(describe);
        Register(factory);
        lock (s_contracts)
        {
            s_contracts.Add((Internal.AsyncApi.TypeNames.Readable(typeof(TEvents)), describe));
        }
    }

    /// <summary>The described contracts registered so far: the interface's name and its events.</summary>
    internal static List<(string Contract, IReadOnlyList<GatewayClientEvent> Events)> Described()
    {
        lock (s_contracts)
        {
            return [.. s_contracts.Select(static c => (c.Contract, c.Describe()))];
        }
    }

    private static readonly List<(string Contract, Func<IReadOnlyList<GatewayClientEvent>> Describe)> s_contracts = [];

    internal static TEvents Create<TEvents>(IGatewayEventSink sink) where TEvents : class =>
        Factory<TEvents>.Create?.Invoke(sink)
        ?? throw new InvalidOperationException(
            $"{typeof(TEvents)} has no generated implementation: mark the interface with [ClientEvents].");

    private static class Factory<TEvents> where TEvents : class
    {
        public static Func<IGatewayEventSink, TEvents>? Create;
    }
}
