using System.Net;
using System.Net.Sockets;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>With Tokenwise:ManagementPort set, metrics and the API description leave the port senders reach.</summary>
public sealed class ManagementPortTests : IAsyncLifetime
{
    private IsolatedEnvironment _environment = null!;
    private RunningService _ingestion = null!;
    private int _management;

    public async Task InitializeAsync()
    {
        _environment = await IsolatedEnvironment.CreateAsync("management");
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            _management = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        _ingestion = await RunningService.StartAsync(
            IngestionHost.Build,
            _environment,
            new Dictionary<string, string?> { ["Tokenwise:ManagementPort"] = _management.ToString() }
        );
    }

    public async Task DisposeAsync()
    {
        await _ingestion.DisposeAsync();
        await _environment.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_and_openapi_answer_only_on_the_management_port_and_the_api_only_on_its_own()
    {
        using var api = _ingestion.Http();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_management}/") };
        api.DefaultRequestHeaders.Authorization = management.DefaultRequestHeaders.Authorization = new(
            "Bearer",
            IsolatedEnvironment.BootstrapKey
        );

        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/v1/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_API_reference_page_is_served_whole_by_the_service_with_nothing_from_elsewhere()
    {
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_management}/") };

        var page = await management.GetStringAsync("/docs");

        var sources = System
            .Text.RegularExpressions.Regex.Matches(page, "(?:src|href)=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Value)
            .ToList();
        Assert.NotEmpty(sources);
        Assert.DoesNotContain(
            sources,
            s =>
                s.StartsWith("http", StringComparison.OrdinalIgnoreCase) || s.StartsWith("//", StringComparison.Ordinal)
        );
        foreach (var source in sources)
            Assert.Equal(
                HttpStatusCode.OK,
                (await management.GetAsync(new Uri(new Uri(management.BaseAddress!, "/docs/"), source))).StatusCode
            );
        Assert.DoesNotContain("cdn.jsdelivr", page);
        Assert.DoesNotContain("fonts.scalar.com", page);
    }
}
