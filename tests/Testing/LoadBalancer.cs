using System.Net;
using System.Net.Sockets;

namespace Tokenwise.Testing;

/// <summary>Several instances of one service behind the load balancer: senders use <see cref="BaseAddress"/>.</summary>
public sealed record BalancedService(string Service, Uri BaseAddress, IReadOnlyList<ServiceProcess> Instances)
    : IServiceEndpoint;

/// <summary>
/// nginx in front of several instances of each service, started by infra/load-balancer.sh (as ./run.sh --instances
/// starts it) from a directory of its own, on free loopback ports.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly string _directory;

    private LoadBalancer(string directory, IReadOnlyList<BalancedService> services) =>
        (_directory, Services) = (directory, services);

    public IReadOnlyList<BalancedService> Services { get; }

    public BalancedService this[string service] => Services.Single(s => s.Service == service);

    public static async Task<LoadBalancer> StartAsync(IEnumerable<IGrouping<string, ServiceProcess>> instances)
    {
        var directory = Directory.CreateTempSubdirectory("tokenwise-nginx-").FullName;
        var services = instances
            .Select(group => new BalancedService(group.Key, new Uri($"http://127.0.0.1:{FreePort()}/"), group.ToList()))
            .ToList();
        var specs = services.Select(s =>
            $"{s.Service.ToLowerInvariant()}={s.BaseAddress.Port}:{string.Join(",", s.Instances.Select(i => i.BaseAddress.Port))}"
        );
        await Scripts.RunAsync(
            $"infra/load-balancer.sh 127.0.0.1 {string.Join(" ", specs)}",
            new Dictionary<string, string> { ["TOKENWISE_NGINX_DIR"] = directory }
        );
        return new LoadBalancer(directory, services);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Scripts.RunAsync(
            $"$(command -v nginx || echo /usr/sbin/nginx) -p '{_directory}/' -c nginx.conf -s quit || true"
        );
        Directory.Delete(_directory, recursive: true);
    }
}
