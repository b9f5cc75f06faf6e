using System.Net;
using System.Net.Sockets;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>
/// The floor under the latency rows: nginx answering <c>/v1/check</c> and <c>/v1/usage</c> from memory with a fixed
/// body, no service behind it. The same generator against it, at the same moment, measures what the machine and the
/// generator take by themselves; no service can answer faster than that here.
/// </summary>
internal sealed class FixedAnswers : IAsyncDisposable
{
    private readonly string _directory;

    private FixedAnswers(string directory, Uri baseAddress) => (_directory, BaseAddress) = (directory, baseAddress);

    public Uri BaseAddress { get; }

    public static async Task<FixedAnswers> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("tokenwise-fixed-").FullName;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        // The answers are the services' own shapes, chunked as Kestrel sends them through the balancer.
        await File.WriteAllTextAsync(
            Path.Combine(directory, "nginx.conf"),
            $$"""
            worker_processes 1;
            pid nginx.pid;
            error_log logs/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path tmp/body;
              proxy_temp_path tmp/proxy;
              fastcgi_temp_path tmp/fastcgi;
              uwsgi_temp_path tmp/uwsgi;
              scgi_temp_path tmp/scgi;
              server {
                listen 127.0.0.1:{{port}};
                default_type "application/json; charset=utf-8";
                location = /v1/check { return 200 '{"allow":true,"reason":null,"breaker":null}'; }
                location = /v1/usage { return 202 '{"accepted":1,"duplicates":0}'; }
              }
            }
            """
        );
        await Scripts.RunAsync(Nginx(directory, ""));
        for (var attempt = 0; attempt < 50 && !File.Exists(Path.Combine(directory, "nginx.pid")); attempt++)
            await Task.Delay(100);
        return new FixedAnswers(directory, new Uri($"http://127.0.0.1:{port}/"));
    }

    private static string Nginx(string directory, string arguments) =>
        $"$(command -v nginx || echo /usr/sbin/nginx) -p '{directory}/' -c nginx.conf {arguments}";

    public async ValueTask DisposeAsync()
    {
        await Scripts.RunAsync(Nginx(_directory, "-s quit") + " || true");
        Directory.Delete(_directory, recursive: true);
    }
}
