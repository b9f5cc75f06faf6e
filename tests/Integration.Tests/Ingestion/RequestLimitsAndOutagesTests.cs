using System.Net;
using System.Text;
using Npgsql;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Ingestion;

public sealed class RequestLimitsAndOutagesTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private static UsageEvent Usage(string? id = null) =>
        new()
        {
            Id = id ?? Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow,
            User = "hal",
            Model = "gpt-4o",
            InputTokens = 3,
        };

    private HttpClient Http()
    {
        var http = system.Ingestion.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        return http;
    }

    [Fact]
    public async Task A_body_over_4_MiB_gets_413_and_a_wrong_content_type_gets_415()
    {
        using var http = Http();
        var huge = new string(' ', 4 * 1024 * 1024 + 10);
        var tooLarge = await http.PostAsync(
            "/v1/usage",
            new StringContent("[" + huge + "]", Encoding.UTF8, "application/json")
        );
        var wrongType = await http.PostAsync(
            "/v1/usage",
            new StringContent("id=1", Encoding.UTF8, "application/x-www-form-urlencoded")
        );

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal("application/problem+json", wrongType.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Malformed_JSON_gets_400_problem_details()
    {
        using var http = Http();
        var response = await http.PostAsync(
            "/v1/usage",
            new StringContent("{\"id\": ", Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_Retry_After()
    {
        await using var limited = await RunningService.StartAsync(
            IngestionHost.Build,
            system.Environment,
            new Dictionary<string, string?>
            {
                ["Tokenwise:RateLimit:PerSecond"] = "1",
                ["Tokenwise:RateLimit:Burst"] = "1",
            }
        );
        var api = limited.Client<IIngestionApi>();
        // One token, one more per second: six requests sent at once cannot all pass, however slow the machine.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.RecordUsageAsync(Usage())));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers?.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", refused.ErrorMediaType());
    }

    [Fact]
    public async Task When_PostgreSQL_is_unreachable_Ingestion_answers_503_with_Retry_After_and_a_retry_later_is_accepted()
    {
        var (relay, ingestion) = await IngestionBehindRelay();
        await using var _ = relay;
        await using var __ = ingestion;
        var api = ingestion.Client<IIngestionApi>();
        var usage = Usage();

        relay.Cut();
        var during = await api.RecordUsageAsync(usage);
        var readyDuring = await api.ReadyAsync();
        relay.Restore();
        var after = await Eventually.Until(
            () => api.RecordUsageAsync(usage),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            "Ingestion to accept again once PostgreSQL is back"
        );

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.NotNull(during.Headers?.RetryAfter);
        Assert.Equal("application/problem+json", during.ErrorMediaType());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuring.StatusCode);
        Assert.Equal(new IngestResult(1, 0), after.Content);
        Assert.Equal(HttpStatusCode.OK, (await api.ReadyAsync()).StatusCode);
    }

    [Fact]
    public async Task The_SDK_retries_an_outage_with_the_same_id_and_the_event_is_stored_once()
    {
        var (relay, ingestion) = await IngestionBehindRelay();
        await using var _ = relay;
        await using var __ = ingestion;
        var sdk = ingestion.Client<IIngestionApi>(retry: Tokenwise.Client.RetryPolicy.Default);
        var usage = Usage();

        relay.Cut();
        var sending = sdk.RecordUsageAsync(usage);
        // The service's own request metrics tell when the SDK's first attempt has been answered 503; a connection the
        // relay refused says the same (a full test run once showed no request metrics at all, so either will do).
        using var metrics = ingestion.Http();
        await Eventually.Until(
            async () => (Text: await metrics.GetStringAsync("/metrics"), relay.Dropped),
            seen =>
                seen.Dropped > 0
                || seen.Text.Split('\n')
                    .Any(line =>
                        line.StartsWith("http_server_request_duration_seconds_count")
                        && line.Contains("http_response_status_code=\"503\"")
                        && line.Contains("/v1/usage")
                    ),
            "the SDK's first attempt to meet the outage"
        );
        relay.Restore();
        var response = await sending;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new IngestResult(1, 0), response.Content);
        Assert.Equal(new IngestResult(0, 1), (await sdk.RecordUsageAsync(usage)).Content);
    }

    /// <summary>An Ingestion (relay off) whose PostgreSQL connections pass through a <see cref="TcpRelay"/> the test can cut.</summary>
    private async Task<(TcpRelay Relay, RunningService Ingestion)> IngestionBehindRelay()
    {
        var (relay, postgres) = TcpRelay.ForPostgres(system.Environment.Servers.Postgres);
        var ingestion = await RunningService.StartAsync(
            IngestionHost.Build,
            system.Environment,
            new Dictionary<string, string?> { ["TOKENWISE_POSTGRES"] = postgres, ["Tokenwise:RunDaemon"] = "false" }
        );
        return (relay, ingestion);
    }
}
