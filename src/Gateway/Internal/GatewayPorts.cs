using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Internal;

/// <summary>
/// Makes the server listen on the ports of <c>[WebSocketGateway(port)]</c> gateways, beside the application's own
/// addresses, as NestJS opens a server per gateway port: each port is added with the scheme and host of the first
/// configured address (Kestrel's default, <c>http://localhost:5000</c>, when none is). Runs when the host builds the
/// request pipeline, after the configured URLs are known and before the server binds. An application whose Kestrel
/// endpoints are set in code overrides these addresses; the gateways' ports are then its to add, and a warning says so
/// when one is missing.
/// </summary>
internal sealed class GatewayPorts(GatewayRegistry registry, IHostApplicationLifetime lifetime, ILoggerFactory loggerFactory) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        int[] ports = [.. registry.Definitions.Select(static d => d.Port).OfType<int>().Distinct()];
        if (ports.Length > 0 && app.ServerFeatures.Get<IServerAddressesFeature>() is { } feature)
        {
            AddAddresses(feature, ports);
            lifetime.ApplicationStarted.Register(() => WarnAboutMissingPorts(feature, ports));
        }

        next(app);
    };

    private static void AddAddresses(IServerAddressesFeature feature, int[] ports)
    {
        ICollection<string> addresses = feature.Addresses;
        if (addresses.IsReadOnly)
        {
            return;
        }

        if (addresses.Count == 0)
        {
            addresses.Add("http://localhost:5000");
        }

        BindingAddress first = BindingAddress.Parse(addresses.First());
        foreach (int port in ports)
        {
            if (!addresses.Any(a => BindingAddress.Parse(a).Port == port))
            {
                addresses.Add($"{first.Scheme}://{first.Host}:{port}");
            }
        }
    }

    private void WarnAboutMissingPorts(IServerAddressesFeature feature, int[] ports)
    {
        foreach (int port in ports)
        {
            if (!feature.Addresses.Any(a => BindingAddress.Parse(a).Port == port))
            {
                Log.GatewayPortNotListened(loggerFactory.CreateLogger<GatewayPorts>(), port);
            }
        }
    }
}
