using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tokenwise.Client;

namespace Tokenwise.Testing;

/// <summary>
/// A Tokenwise service run from its built assembly as a process of its own (as ./run.sh runs it), inside an
/// <see cref="IsolatedEnvironment"/>: its own runtime, GC and thread pool, on a free loopback port.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }

    /// <param name="service">Ingestion, Accounting, Outcomes or Alerting.</param>
    /// <param name="configuration">Release or Debug: the build whose assembly to run.</param>
    public static async Task<ServiceProcess> StartAsync(string service, IsolatedEnvironment environment, string configuration,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var root = FindRepositoryRoot();
        var assembly = Path.Combine(root, "services", service, "bin", configuration, "net10.0", $"Tokenwise.{service}.dll");
        if (!File.Exists(assembly)) throw new FileNotFoundException($"Build {service} ({configuration}) first", assembly);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment.Configuration.Concat(overrides ?? new Dictionary<string, string?>()))
            start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        // Drained so a chatty service never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = running.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"{service} exited with {process.ExitCode} while starting");
            try { return (await http.GetAsync("/health/ready")).StatusCode; }
            catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; }
            catch (TaskCanceledException) { return HttpStatusCode.RequestTimeout; }
        }, status => status == HttpStatusCode.OK, $"{service} to be ready", TimeSpan.FromSeconds(60));
        return running;
    }

    public T Client<T>(string? apiKey = null, RetryPolicy? retry = null) =>
        TokenwiseClients.Create<T>(BaseAddress, apiKey ?? IsolatedEnvironment.BootstrapKey, retry ?? RetryPolicy.None);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
