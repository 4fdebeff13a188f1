using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.CodeAnalysis;

namespace Gateway.Generators.Tests.Infrastructure;

/// <summary>
/// The references of every test compilation: the running .NET runtime (trusted platform assemblies), the ASP.NET
/// Core shared framework, Gateway.dll and Gateway.Client.dll. All are already on disk, so nothing is downloaded at test time.
/// </summary>
internal static class TestReferences
{
    public static ImmutableArray<MetadataReference> All { get; } = Create();

    private static ImmutableArray<MetadataReference> Create()
    {
        // Keyed by file name: the shared framework's assemblies are in the trusted list too, and one copy is enough.
        var paths = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The runtime did not provide TRUSTED_PLATFORM_ASSEMBLIES.");
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }

        string aspNetCore = Path.GetDirectoryName(typeof(HttpContext).Assembly.Location)!;
        foreach (string path in Directory.EnumerateFiles(aspNetCore, "*.dll"))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }

        string gateway = typeof(WebSocketGatewayAttribute).Assembly.Location;
        paths[Path.GetFileName(gateway)] = gateway;
        // The .NET client, for the typed client's generator.
        string client = typeof(Gateway.Client.GatewayConnection).Assembly.Location;
        paths[Path.GetFileName(client)] = client;

        return [.. paths.Values.Select(static p => MetadataReference.CreateFromFile(p))];
    }
}
