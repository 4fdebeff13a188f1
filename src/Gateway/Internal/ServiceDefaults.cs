namespace Gateway.Internal;

internal static class ServiceDefaults
{
    /// <summary>The registered service, or the parameter's default value when none is registered.</summary>
    public static T GetServiceOrDefault<T>(IServiceProvider services, T defaultValue) =>
        services.GetService(typeof(T)) is T service ? service : defaultValue;
}
