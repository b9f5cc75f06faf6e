using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tokenwise.Client;

namespace Tokenwise.Testing;

/// <summary>
/// A Tokenwise service run from its built assembly as a process of its own (as ./run.sh runs it), inside an
/// <see cref="IsolatedEnvironment"/>: its own runtime, GC and thread pool, on a free loopback port.
/// </summary>
public sealed class ServiceProcess : IServiceEndpoint, IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly string _service;
    private Process _process;

    private ServiceProcess(string service, ProcessStartInfo start, Process process, Uri baseAddress) =>
        (_service, _start, _process, BaseAddress) = (service, start, process, baseAddress);

    public Uri BaseAddress { get; }

    /// <summary>Ingestion, Accounting, Outcomes or Alerting.</summary>
    public string Service => _service;

    /// <summary>The running process, for measuring what it uses.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the broker — a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Starts the service again on the same port and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        _process = Launch(_start);
        await WaitUntilReadyAsync(_service, _process, BaseAddress);
    }

    /// <param name="service">Ingestion, Accounting, Outcomes or Alerting.</param>
    /// <param name="configuration">Release or Debug: the build whose assembly to run.</param>
    public static async Task<ServiceProcess> StartAsync(
        string service,
        IsolatedEnvironment environment,
        string configuration,
        IReadOnlyDictionary<string, string?>? overrides = null
    )
    {
        var root = RepositoryRoot();
        var assembly = Path.Combine(
            root,
            "services",
            service,
            "bin",
            configuration,
            "net10.0",
            $"Tokenwise.{service}.dll"
        );
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"Build {service} ({configuration}) first", assembly);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment.Configuration.Concat(overrides ?? new Dictionary<string, string?>()))
            start.Environment[key.Replace(":", "__")] = value;
        var process = Launch(start);
        var running = new ServiceProcess(service, start, process, new Uri($"http://127.0.0.1:{port}/"));
        await WaitUntilReadyAsync(service, process, running.BaseAddress);
        return running;
    }

    private static Process Launch(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        // Drained so a chatty service never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilReadyAsync(string service, Process process, Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(
            async () =>
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"{service} exited with {process.ExitCode} while starting");
                try
                {
                    return (await http.GetAsync("/health/ready")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
                catch (TaskCanceledException)
                {
                    return HttpStatusCode.RequestTimeout;
                }
            },
            status => status == HttpStatusCode.OK,
            $"{service} to be ready",
            TimeSpan.FromSeconds(60)
        );
    }

    // Not a call through IServiceEndpoint: this method implements that interface's Client, so the call would be this one.
    public T Client<T>(string? apiKey = null, RetryPolicy? retry = null) =>
        TokenwiseClients.Create<T>(BaseAddress, apiKey ?? IsolatedEnvironment.BootstrapKey, retry ?? RetryPolicy.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        catch (InvalidOperationException)
        {
            // Already killed by the test and not started again.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The checkout these tests were built from: where Platform.sln is.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
