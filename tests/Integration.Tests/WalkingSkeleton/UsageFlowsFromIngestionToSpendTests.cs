using System.Net;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.WalkingSkeleton;

public sealed class UsageFlowsFromIngestionToSpendTests(IngestionAndAccounting system)
    : IClassFixture<IngestionAndAccounting>
{
    private readonly IIngestionApi _ingestion = system.Ingestion.Client<IIngestionApi>();
    private readonly IAccountingApi _accounting = system.Accounting.Client<IAccountingApi>();
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd");

    [Fact]
    public async Task A_posted_usage_event_shows_its_tokens_in_spend_per_user()
    {
        var user = NewUser();
        var response = await _ingestion.RecordUsageAsync(Usage("evt-1", user, input: 1200, output: 340));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new IngestResult(1, 0), response.Content);

        var row = await SpendOf(user, r => r?.Figures.Requests == 1);
        Assert.Equal(1200, row!.Figures.Tokens.Input);
        Assert.Equal(340, row.Figures.Tokens.Output);
    }

    [Fact]
    public async Task Posting_the_same_event_twice_counts_it_once()
    {
        var user = NewUser();
        var first = await _ingestion.RecordUsageAsync(Usage("same-id", user, input: 100, output: 10));
        var second = await _ingestion.RecordUsageAsync(Usage("same-id", user, input: 100, output: 10));
        Assert.Equal(new IngestResult(1, 0), first.Content);
        Assert.Equal(new IngestResult(0, 1), second.Content);

        // A later event for the same user tells us when everything before it has been processed.
        await _ingestion.RecordUsageAsync(Usage("marker", user, input: 1, output: 1));
        var row = await SpendOf(user, r => r?.Figures.Tokens.Input >= 101);
        Assert.Equal(2, row!.Figures.Requests);
        Assert.Equal(101, row.Figures.Tokens.Input);
    }

    [Fact]
    public async Task A_usage_batch_delivered_twice_by_the_relay_is_charged_once()
    {
        var user = NewUser();
        var recorded = new UsageRecorded
        {
            Key = $"relay-test/{user}-1",
            Source = "relay-test",
            Id = $"{user}-1",
            OccurredAt = DateTimeOffset.UtcNow,
            RecordedAt = DateTimeOffset.UtcNow,
            User = user,
            Model = "claude-sonnet-4-5",
            InputTokens = 500,
            OutputTokens = 50,
        };
        var batch = new UsageRecordedBatch { BatchId = "test-" + user, Items = [recorded] };
        var handled = ConsumedMessages<UsageRecordedBatch>.Watch(
            system.Accounting.Services.GetRequiredService<IBus>(),
            b => b.BatchId == batch.BatchId
        );
        var bus = system.Ingestion.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        await bus.Publish(batch, context => context.MessageId = messageId);
        await bus.Publish(batch, context => context.MessageId = messageId);

        await Eventually.Until(
            () => Task.FromResult(handled.Count),
            count => count == 2,
            "Accounting to handle both deliveries"
        );
        await using (var session = system.Accounting.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var charged = await session.OfTypeAsync<UsageChargedBatch>();
            Assert.Single(charged.SelectMany(b => b.Items), c => c.UsageKey == recorded.Key);
        }
        var row = await SpendOf(user, r => r?.Figures.Requests >= 1);
        Assert.Equal(1, row!.Figures.Requests);
        Assert.Equal(500, row.Figures.Tokens.Input);
    }

    [Fact]
    public async Task An_invalid_event_is_rejected_naming_the_field_and_nothing_is_stored()
    {
        var user = NewUser();
        using var http = system.Ingestion.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var now = DateTimeOffset.UtcNow.ToString("O");
        var body = $$"""
            [{"id":"ok","occurredAt":"{{now}}","user":"{{user}}","model":"gpt-4o","inputTokens":5},
             {"id":"bad","occurredAt":"yesterday","user":"{{user}}","model":"gpt-4o","inputTokens":-3}]
            """;
        var response = await http.PostAsync(
            "/v1/usage",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("[1].occurredAt", problem);
        Assert.Contains("[1].inputTokens", problem);

        // The valid first item was not stored either: posting it now is new, not a duplicate.
        var retry = await _ingestion.RecordUsageAsync(Usage("ok", user, input: 5, output: 0) with { Id = "ok" });
        Assert.Equal(new IngestResult(1, 0), retry.Content);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task A_request_without_a_valid_key_gets_401_problem_details(string? key)
    {
        using var http = system.Ingestion.Http();
        if (key is not null)
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var response = await http.PostAsync(
            "/v1/usage",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
        );

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var accounting = system.Accounting.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await accounting.GetAsync("/v1/spend?groupBy=user")).StatusCode);
    }

    [Fact]
    public async Task Both_services_report_ready_when_postgres_and_rabbitmq_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _ingestion.ReadyAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _accounting.ReadyAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _accounting.LiveAsync()).StatusCode);
    }

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..8];

    private static UsageEvent Usage(string id, string user, long input, long output) =>
        new()
        {
            Id = $"{user}-{id}",
            OccurredAt = DateTimeOffset.UtcNow,
            User = user,
            Provider = "anthropic",
            Model = "claude-sonnet-4-5-20250929",
            InputTokens = input,
            OutputTokens = output,
        };

    private async Task<SpendRow?> SpendOf(string user, Func<SpendRow?, bool> done) =>
        await Eventually.Until(
            async () =>
            {
                var report = await _accounting.GetSpendAsync("user", Today, Today);
                return report.Content?.Rows.FirstOrDefault(r => r.Group["user"] == user);
            },
            done,
            $"spend of {user} in GET /v1/spend"
        );
}
