using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tokenwise.Client;

namespace Tokenwise.Testing;

/// <summary>A Tokenwise host started in-process on a free loopback port, inside an <see cref="IsolatedEnvironment"/>.</summary>
public sealed class RunningService : IAsyncDisposable
{
    private RunningService(WebApplication app, Uri baseAddress, CapturedLogs logs)
    {
        App = app;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    /// <summary>What the service logged at the level it logs at (warnings, unless the overrides set Logging:LogLevel).</summary>
    public CapturedLogs Logs { get; }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => App.Services;

    public delegate WebApplication HostFactory(string[] args, Action<WebApplicationBuilder> configure);

    public static async Task<RunningService> StartAsync(
        HostFactory build,
        IsolatedEnvironment environment,
        IReadOnlyDictionary<string, string?>? overrides = null,
        TimeProvider? clock = null
    )
    {
        // Built without the caller's execution context: MassTransit keeps its log context in an AsyncLocal, and a host
        // started in a flow that once held a since-disposed host would pick up that host's disposed logger factory.
        var logs = new CapturedLogs();
        Task<WebApplication> starting;
        using (ExecutionContext.SuppressFlow())
            starting = Task.Run(async () =>
            {
                var app = build(
                    [],
                    builder =>
                    {
                        builder.Configuration.AddInMemoryCollection(environment.Configuration);
                        if (overrides is not null)
                            builder.Configuration.AddInMemoryCollection(overrides);
                        builder.WebHost.UseUrls("http://127.0.0.1:0");
                        builder.Logging.SetMinimumLevel(LogLevel.Warning);
                        builder.Logging.AddProvider(logs);
                        // Registered before the service's defaults, which only add the system clock when none is there.
                        if (clock is not null)
                            builder.Services.AddSingleton(clock);
                    }
                );
                await app.StartAsync();
                return app;
            });
        var app = await starting;
        // The API's address, not the management port's (Tokenwise:ManagementPort) when one is set.
        var management = overrides?.GetValueOrDefault("Tokenwise:ManagementPort");
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First(a => management is null || !a.EndsWith(":" + management, StringComparison.Ordinal));
        return new RunningService(app, new Uri(address), logs);
    }

    /// <summary>A typed client for this service, with the bootstrap key unless another key is given.</summary>
    public T Client<T>(string? apiKey = null, RetryPolicy? retry = null) =>
        TokenwiseClients.Create<T>(BaseAddress, apiKey ?? IsolatedEnvironment.BootstrapKey, retry ?? RetryPolicy.None);

    public HttpClient Http() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
