using System.Net;
using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Ingestion;

/// <summary>Every shape through the Refit SDK against a real Ingestion: what is accepted, deduplicated, resolved.</summary>
public sealed class IngestingEveryShapeTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private static DateTimeOffset Now => DateTimeOffset.UtcNow.AddSeconds(-1);

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..20];

    private static UsageEvent Usage(string id, string user = "carol") =>
        new()
        {
            Id = id,
            OccurredAt = Now,
            User = user,
            Model = "gpt-4.1",
            Provider = "openai",
            InputTokens = 10,
            OutputTokens = 2,
        };

    [Fact]
    public async Task Duplicates_are_counted_across_retries_and_across_batches()
    {
        var (a, b, c) = (Unique("a"), Unique("b"), Unique("c"));
        var first = await system.Api.RecordUsageBatchAsync([Usage(a), Usage(b)]);
        var retry = await system.Api.RecordUsageBatchAsync([Usage(a), Usage(b)]);
        var overlapping = await system.Api.RecordUsageBatchAsync([Usage(b), Usage(c), Usage(c)]);

        Assert.Equal(new IngestResult(2, 0), first.Content);
        Assert.Equal(new IngestResult(0, 2), retry.Content);
        Assert.Equal(new IngestResult(1, 2), overlapping.Content);
    }

    [Fact]
    public async Task Concurrent_posts_of_one_id_store_it_exactly_once()
    {
        var id = Unique("race");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => system.Api.RecordUsageAsync(Usage(id))));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(1, results.Sum(r => r.Content!.Accepted));
        Assert.Single(await system.StoredUsages($"bootstrap/{id}"));
    }

    [Fact]
    public async Task An_alias_resolves_to_the_directory_user_and_their_team()
    {
        var user = Unique("dana");
        var put = await system.Api.SetDirectoryUserAsync(
            user,
            new DirectoryUserRequest("Dana", $"{user}@corp.example", "payments", "erin", [$"{user}-gh", "acct-" + user])
        );
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var id = Unique("alias");
        await system.Api.RecordUsageAsync(Usage(id, user: $"{user.ToUpperInvariant()}@CORP.EXAMPLE"));
        var stored = await system.StoredUsage($"bootstrap/{id}");
        Assert.Equal((user, "payments"), (stored.User, stored.Team));

        var byAlias = await system.Api.GetDirectoryUserAsync($"{user}-gh");
        Assert.Equal(user, byAlias.Content!.Id);
        Assert.Contains(user, (await system.Api.ListDirectoryUsersAsync("payments")).Content!.Select(u => u.Id));
    }

    [Fact]
    public async Task An_alias_already_held_by_someone_else_is_refused_with_409()
    {
        var (first, second) = (Unique("u1"), Unique("u2"));
        await system.Api.SetDirectoryUserAsync(
            first,
            new DirectoryUserRequest(null, null, "t", null, [$"{first}-shared"])
        );
        var clash = await system.Api.SetDirectoryUserAsync(
            second,
            new DirectoryUserRequest(null, null, "t", null, [$"{first}-shared"])
        );

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
    }

    [Fact]
    public async Task OpenAI_and_Anthropic_shapes_are_stored_as_canonical_buckets()
    {
        var (openAi, anthropic) = (Unique("oa"), Unique("an"));
        var o = await system.Api.RecordOpenAiUsageAsync([
            new NativeUsageEvent
            {
                Id = openAi,
                OccurredAt = Now,
                User = "carol",
                Model = "gpt-5",
                Usage = new
                {
                    prompt_tokens = 1000,
                    completion_tokens = 50,
                    prompt_tokens_details = new { cached_tokens = 400 },
                },
            },
        ]);
        var a = await system.Api.RecordAnthropicUsageAsync([
            new NativeUsageEvent
            {
                Id = anthropic,
                OccurredAt = Now,
                User = "carol",
                Model = "claude-opus-4-1",
                Usage = new
                {
                    input_tokens = 20,
                    output_tokens = 70,
                    cache_read_input_tokens = 5000,
                    cache_creation_input_tokens = 300,
                    cache_creation = new { ephemeral_5m_input_tokens = 100, ephemeral_1h_input_tokens = 200 },
                },
            },
        ]);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (o.StatusCode, a.StatusCode));
        var storedOpenAi = await system.StoredUsage($"bootstrap/{openAi}");
        Assert.Equal(
            (600, 400, 50),
            (storedOpenAi.InputTokens, storedOpenAi.CacheReadTokens, storedOpenAi.OutputTokens)
        );
        var storedAnthropic = await system.StoredUsage($"bootstrap/{anthropic}");
        Assert.Equal(
            (20, 5000, 100, 200, 70),
            (
                storedAnthropic.InputTokens,
                storedAnthropic.CacheReadTokens,
                storedAnthropic.CacheWriteTokens,
                storedAnthropic.CacheWrite1hTokens,
                storedAnthropic.OutputTokens
            )
        );
    }

    [Fact]
    public async Task OTLP_logs_and_metrics_are_accepted_with_partial_success_for_what_is_skipped()
    {
        var requestId = Unique("req");
        using var logs = JsonDocument.Parse(
            $$$$"""
            {"resourceLogs":[{"resource":{"attributes":[{"key":"team.id","value":{"stringValue":"platform"}}]},"scopeLogs":[{"logRecords":[
              {"timeUnixNano":"{{{{Now.ToUnixTimeMilliseconds()
                * 1_000_000}}}}","body":{"stringValue":"claude_code.api_request"},"attributes":[
                {"key":"model","value":{"stringValue":"claude-sonnet-4-5"}},{"key":"input_tokens","value":{"intValue":"77"}},
                {"key":"output_tokens","value":{"intValue":5}},{"key":"request_id","value":{"stringValue":"{{{{requestId}}}}"}},
                {"key":"user.email","value":{"stringValue":"frank@corp.example"}}]},
              {"timeUnixNano":"1","body":{"stringValue":"something else"}}]}]}]}
            """
        );
        var logsResponse = await system.Api.ExportLogsAsync(logs.RootElement.Clone());
        Assert.Equal(HttpStatusCode.OK, logsResponse.StatusCode);
        Assert.Equal(
            1,
            logsResponse.Content.GetProperty("partialSuccess").GetProperty("rejectedLogRecords").GetInt32()
        );
        var stored = await system.StoredUsage($"bootstrap/{requestId}");
        Assert.Equal((77, "platform", "claude-code"), (stored.InputTokens, stored.Team, stored.Context.Tool));

        using var metrics = JsonDocument.Parse(
            $$$$"""
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"claude_code.commit.count","sum":{"aggregationTemporality":1,
              "dataPoints":[{"timeUnixNano":"{{{{Now.ToUnixTimeMilliseconds() * 1_000_000}}}}","asInt":"3",
                "attributes":[{"key":"user.email","value":{"stringValue":"frank@corp.example"}}]}]}}]}]}]}
            """
        );
        var metricsResponse = await system.Api.ExportMetricsAsync(metrics.RootElement.Clone());
        Assert.Equal(HttpStatusCode.OK, metricsResponse.StatusCode);
        Assert.False(metricsResponse.Content.TryGetProperty("partialSuccess", out _));
    }

    [Fact]
    public async Task Outcomes_are_accepted_once_and_an_invalid_one_rejects_the_batch()
    {
        var id = Unique("merge");
        OutcomeEvent Merge(string outcomeId) =>
            new()
            {
                Id = outcomeId,
                OccurredAt = Now,
                Kind = "pr_merged",
                Repo = "acme/api",
                PrNumber = 7,
                User = "carol",
                AiAssisted = true,
            };
        Assert.Equal(new IngestResult(1, 0), (await system.Api.RecordOutcomesAsync([Merge(id)])).Content);
        Assert.Equal(new IngestResult(0, 1), (await system.Api.RecordOutcomesAsync([Merge(id)])).Content);

        var other = Unique("merge");
        var bad = await system.Api.RecordOutcomesAsync([Merge(other), Merge(Unique("x")) with { Kind = "shipped" }]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("[1].kind", bad.ErrorBody());
        Assert.Empty(await system.StoredOutcomes($"bootstrap/{other}"));
    }
}
