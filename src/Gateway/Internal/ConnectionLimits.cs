using System.Collections.Concurrent;
using System.Net;

namespace Gateway.Internal;

/// <summary>
/// <see cref="GatewayOptions.MaxConnections"/> and <see cref="GatewayOptions.MaxConnectionsPerIpAddress"/> of one
/// gateway path, checked before the upgrade. A handshake takes its places first and gives them back if refused, so
/// concurrent handshakes never pass the limits together. Nothing is counted while no limit is set.
/// </summary>
internal sealed class ConnectionLimits(GatewayOptions options)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    /// <summary>Takes a place for a connection from <paramref name="address"/>; returns the reject reason when there is none.</summary>
    public string? TryEnter(IPAddress? address)
    {
        if (options.MaxConnections is int max && Interlocked.Increment(ref _total) > max)
        {
            Interlocked.Decrement(ref _total);
            return GatewayEndpoint.RejectReasons.GatewayFull;
        }

        if (options.MaxConnectionsPerIpAddress is int perAddress && address is not null
            && _perAddress.AddOrUpdate(address, 1, static (_, count) => count + 1) > perAddress)
        {
            Release(address);
            if (options.MaxConnections is not null)
            {
                Interlocked.Decrement(ref _total);
            }

            return GatewayEndpoint.RejectReasons.IpLimit;
        }

        return null;
    }

    /// <summary>Gives back the places of a connection that <see cref="TryEnter"/> let in.</summary>
    public void Exit(IPAddress? address)
    {
        if (options.MaxConnections is not null)
        {
            Interlocked.Decrement(ref _total);
        }

        if (options.MaxConnectionsPerIpAddress is not null && address is not null)
        {
            Release(address);
        }
    }

    private void Release(IPAddress address)
    {
        // Remove the entry at zero so that the dictionary holds only addresses with connections.
        while (true)
        {
            int count = _perAddress[address];
            if (count == 1)
            {
                if (_perAddress.TryRemove(KeyValuePair.Create(address, 1)))
                {
                    return;
                }
            }
            else if (_perAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
