using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Ingestion;

/// <summary>Hostile input is normal input: refused at the edge, naming the item and field, costing no one else anything.</summary>
public sealed class HostileInputTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private static UsageEvent Usage(string user, string? id = null) =>
        new()
        {
            Id = id ?? Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            User = user,
            Model = "gpt-4.1",
            Provider = "openai",
            InputTokens = 10_000,
        };

    private HttpClient Http(string key = IsolatedEnvironment.BootstrapKey)
    {
        var http = system.Ingestion.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return http;
    }

    private static async Task<Dictionary<string, string[]>> ErrorsOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    [Fact]
    public async Task A_NUL_in_one_senders_team_is_refused_and_another_senders_events_sent_at_the_same_moment_are_charged()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var other = (await system.Api.IssueKeyAsync(new KeyRequest($"other-{run}", ["ingest"]))).Content!.Key;
        using var bad = Http();
        var poisoned = Usage($"nul-{run}") with { Team = "a\u0000b" };
        var goods = Enumerable.Range(0, 5).Select(i => Usage($"good-{run}")).ToList();

        var (refused, accepted) = (
            bad.PostAsJsonAsync("/v1/usage", new[] { Usage($"nul-{run}"), poisoned }),
            system.Ingestion.Client<IIngestionApi>(other).RecordUsageBatchAsync(goods)
        );
        await Task.WhenAll(refused, accepted);

        var errors = await ErrorsOf(await refused);
        Assert.Equal(["[1].team"], errors.Keys);
        Assert.Contains("control characters (U+0000)", errors["[1].team"].Single());
        Assert.Empty(await system.StoredUsages($"bootstrap/{poisoned.Id}"));
        Assert.Equal(HttpStatusCode.Accepted, (await accepted).StatusCode);
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var spend = system.Accounting.Client<IAccountingApi>();
        var row = await Eventually.Until(
            async () =>
                (await spend.GetSpendAsync("user", day, day)).Content!.Rows.SingleOrDefault(r =>
                    r.Group["user"] == $"good-{run}"
                ),
            r => r?.Figures.Requests == 5,
            "the other sender's five events charged"
        );
        Assert.Equal(5 * 0.02m, row!.Figures.CostUsd);
    }

    [Theory]
    [InlineData("inputTokens", 5_000_000_000_000_000_000, "at most 100,000,000")]
    [InlineData("outputTokens", 100_000_001, "at most 100,000,000")]
    [InlineData("reportedCostUsd", 1e9, "at most 100,000")]
    public async Task Numbers_beyond_any_real_request_are_refused_naming_the_field(
        string field,
        double value,
        string reason
    )
    {
        using var http = Http();
        var id = Guid.NewGuid().ToString("N");
        var body =
            $$"""{"id":"{{id}}","occurredAt":"{{DateTimeOffset.UtcNow:O}}","user":"big","model":"gpt-4.1","{{field}}":{{value:R}}}""";

        var errors = await ErrorsOf(
            await http.PostAsync("/v1/usage", new StringContent(body, Encoding.UTF8, "application/json"))
        );

        Assert.Contains(reason, Assert.Single(errors, e => e.Key == field).Value.Single());
        Assert.Empty(await system.StoredUsages($"bootstrap/{id}"));
    }

    [Theory]
    [InlineData("commitSha", "not-a-sha", "hexadecimal")]
    [InlineData("repo", "acme/api/extra", "owner/name")]
    [InlineData("sessionId", "s\u202Eevil", "bidirectional")]
    public async Task Identifiers_in_the_wrong_form_are_refused_naming_the_field(
        string field,
        string value,
        string reason
    )
    {
        using var http = Http();
        var body = new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid().ToString("N"),
            ["occurredAt"] = DateTimeOffset.UtcNow,
            ["user"] = "u",
            ["model"] = "gpt-4.1",
            [field] = value,
        };
        var errors = await ErrorsOf(await http.PostAsJsonAsync("/v1/usage", body));
        Assert.Contains(reason, Assert.Single(errors, e => e.Key == field).Value.Single());
    }

    [Fact]
    public async Task An_OTLP_record_with_a_3000_character_email_is_skipped_and_counted_and_the_rest_of_the_request_is_stored()
    {
        using var http = Http();
        var run = Guid.NewGuid().ToString("N")[..8];
        var nanos = (DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1_000_000).ToString();
        string Record(string id, string email) =>
            $$$"""
                {"timeUnixNano":"{{{nanos}}}","body":{"stringValue":"claude_code.api_request"},"attributes":[
                  {"key":"request_id","value":{"stringValue":"{{{id}}}"}},{"key":"model","value":{"stringValue":"claude-sonnet-4-5"}},
                  {"key":"user.email","value":{"stringValue":"{{{email}}}"}},{"key":"input_tokens","value":{"intValue":"100"}}]}
                """;
        var body =
            """{"resourceLogs":[{"scopeLogs":[{"logRecords":["""
            + Record($"{run}-long", new string('x', 3_000) + "@example.com")
            + ","
            + Record($"{run}-ok", "ok@example.com")
            + "]}]}]}";

        var response = await http.PostAsync(
            "/otlp/v1/logs",
            new StringContent(body, Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var partial = answer.RootElement.GetProperty("partialSuccess");
        Assert.Equal(1, partial.GetProperty("rejectedLogRecords").GetInt32());
        Assert.Contains("user must be at most 200 bytes", partial.GetProperty("errorMessage").GetString());
        Assert.Empty(await system.StoredUsages($"bootstrap/{run}-long"));
        await system.StoredUsage($"bootstrap/{run}-ok");
    }

    [Fact]
    public async Task Only_the_first_five_PagerDuty_signatures_are_checked_so_a_header_of_450_costs_no_more_than_five()
    {
        var body = Encoding.UTF8.GetBytes(PagerDutyEvent(Guid.NewGuid().ToString("N")));
        var valid = WebhookSigning.PagerDuty(body, IngestionSystem.PagerDutySecret);
        var junk = Enumerable.Range(0, 449).Select(i => $"v1={i:x64}").ToList();

        var buried = await system.Api.PagerDutyWebhookAsync(
            JsonBodies.Of(body),
            string.Join(",", junk.Take(5).Append(valid).Concat(junk.Skip(5)))
        );
        var rotating = await system.Api.PagerDutyWebhookAsync(
            JsonBodies.Of(body),
            string.Join(",", junk.Take(1).Append(valid).Concat(junk.Skip(1)))
        );

        Assert.Equal(HttpStatusCode.Unauthorized, buried.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, rotating.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_rate_limited_per_address_and_health_checks_are_not()
    {
        await using var limited = await RunningService.StartAsync(
            IngestionHost.Build,
            system.Environment,
            new Dictionary<string, string?>
            {
                ["TOKENWISE_PAGERDUTY_SECRET"] = IngestionSystem.PagerDutySecret,
                ["Tokenwise:RateLimit:AnonymousPerSecond"] = "1",
                ["Tokenwise:RateLimit:AnonymousBurst"] = "2",
                // Only its HTTP side is under test; the fixture's instance relays.
                ["Tokenwise:RunDaemon"] = "false",
            }
        );
        using var http = limited.Http();
        var body = PagerDutyEvent(Guid.NewGuid().ToString("N"));
        // One address, ten unsigned webhooks at once against a bucket of two: most are refused before any HMAC is computed.
        var webhooks = await Task.WhenAll(
            Enumerable
                .Range(0, 10)
                .Select(_ =>
                    http.PostAsync("/v1/webhooks/pagerduty", new StringContent(body, Encoding.UTF8, "application/json"))
                )
        );
        var probes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => http.GetAsync("/health/live")));

        Assert.Contains(webhooks, r => r.StatusCode == HttpStatusCode.Unauthorized);
        var refused = webhooks.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= 7, $"{refused.Count} of 10 were rate-limited");
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.All(probes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_signed_GitHub_delivery_naming_a_repo_that_is_not_owner_and_name_is_refused_naming_the_field()
    {
        var body = Encoding.UTF8.GetBytes(
            """
            {"action":"closed","number":5,"pull_request":{"number":5,"merged":true,"merged_at":"2026-11-20T10:00:00Z",
             "merge_commit_sha":"0123456789abcdef","user":{"login":"carol"},"head":{"ref":"feat/x","sha":"fedcba9876543210"},"labels":[]},
             "repository":{"full_name":"acme api"}}
            """
        );
        var delivery = Guid.NewGuid().ToString();
        var response = await system.Api.GitHubWebhookAsync(
            JsonBodies.Of(body),
            "pull_request",
            delivery,
            WebhookSigning.GitHub(body, IngestionSystem.GitHubSecret)
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"repo\"", response.ErrorBody());
        Assert.Empty(await system.StoredOutcomes($"github/{delivery}"));
    }

    private static string PagerDutyEvent(string id) =>
        """{"event":{"id":"""
        + JsonSerializer.Serialize(id)
        + ""","event_type":"incident.triggered","occurred_at":"""
        + JsonSerializer.Serialize(DateTimeOffset.UtcNow)
        + ""","data":{"id":"P1","title":"Down"}}}""";
}
