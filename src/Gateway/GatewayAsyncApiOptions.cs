namespace Gateway;

/// <summary>The <c>info</c> of the AsyncAPI document that <c>MapGatewaysAsyncApi()</c> serves.</summary>
public sealed class GatewayAsyncApiOptions
{
    /// <summary>The API's title. Default: the application's name.</summary>
    public string? Title { get; set; }

    /// <summary>The API's version (not AsyncAPI's). Default: <c>1.0.0</c>.</summary>
    public string Version { get; set; } = "1.0.0";

    /// <summary>A description of the API, or null for none.</summary>
    public string? Description { get; set; }
}
