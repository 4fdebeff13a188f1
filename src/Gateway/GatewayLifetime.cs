namespace Gateway;

/// <summary>How many instances of a gateway class exist.</summary>
public enum GatewayLifetime
{
    /// <summary>One instance serves every connection (NestJS's default).</summary>
    Singleton,

    /// <summary>
    /// One instance per connection, created from a DI scope that lives as long as the connection, so its constructor
    /// may take scoped services (NestJS's request-scoped providers). Disposed, with the scope, after the disconnect
    /// hooks. <see cref="IOnGatewayInit"/> belongs to singletons only.
    /// </summary>
    Connection,
}
