using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Integration.Tests.Pipeline;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>Every admin action, in whichever service, is in Ingestion's audit log with who, when and what changed.</summary>
public sealed class AuditLogTests(WholePipeline system) : IClassFixture<WholePipeline>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private async Task<IReadOnlyList<AuditEntryView>> AuditAsync(string? actor = null, string? kind = null) =>
        (await system.Ingest.GetAuditAsync(actor: actor, kind: kind, limit: 500)).Content!.Entries;

    private async Task<AuditEntryView> EntryAsync(string kind, string subject) =>
        (
            await Eventually.Until(
                async () => (await AuditAsync(kind: kind)).FirstOrDefault(e => e.Subject == subject),
                e => e is not null,
                $"the audit log to show {kind} on {subject}"
            )
        )!;

    [Fact]
    public async Task Each_services_admin_actions_are_in_the_audit_log_with_the_key_the_person_and_the_change()
    {
        // An admin key of its own, so the log names it rather than the bootstrap key.
        var issued = (await system.Ingest.IssueKeyAsync(new KeyRequest($"admin-{_run}", ["admin"]))).Content!;
        var admin = (
            Ingestion: system.Ingestion.Client<IIngestionApi>(issued.Key),
            Accounting: system.Accounting.Client<IAccountingApi>(issued.Key),
            Alerting: system.Alerting.Client<IAlertingApi>(issued.Key)
        );
        await Eventually.Until(
            async () => (await admin.Alerting.GetRulesAsync()).StatusCode,
            s => s == HttpStatusCode.OK,
            "every service to know the key"
        );
        await Eventually.Until(
            async () => (await admin.Accounting.ListBudgetsAsync()).StatusCode,
            s => s == HttpStatusCode.OK,
            "Accounting to know the key"
        );
        var user = $"dana-{_run}";

        var reader = (
            await admin.Ingestion.IssueKeyAsync(new KeyRequest($"bi-{_run}", ["read"]) { Teams = [$"data-{_run}"] })
        ).Content!;
        await admin.Ingestion.RevokeKeyAsync(reader.Id);
        await admin.Ingestion.SetDirectoryUserAsync(
            user,
            new DirectoryUserRequest("Dana", null, $"data-{_run}", null, null)
        );
        await admin.Accounting.SetPriceAsync(
            "openai",
            $"model-{_run}",
            new PriceRequest(DateTimeOffset.UtcNow.AddDays(-1), 1m, 2m)
        );
        await admin.Accounting.SetDiscountAsync($"vendor-{_run}", new DiscountRequest(5m));
        await admin.Accounting.SetBudgetAsync("user", user, new BudgetRequest(0.05m, HardLimit: true));
        await admin.Alerting.TuneRuleAsync("runaway", new Dictionary<string, object> { ["requestsPerMinute"] = 61 });
        await admin.Alerting.OverrideBreakerAsync(
            user,
            new BreakerOverrideRequest("erin", DateTimeOffset.UtcNow.AddHours(1), "launch day")
        );
        using (var ops = system.Accounting.Http())
        {
            ops.DefaultRequestHeaders.Authorization = new("Bearer", issued.Key);
            Assert.Equal(HttpStatusCode.OK, (await ops.PostAsync("/v1/ops/failed-messages/replay", null)).StatusCode);
        }
        await system.Ingest.RecordUsageAsync(
            new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                User = user,
                Model = "gpt-4.1",
                InputTokens = 50_000,
            }
        );
        var alert = await Eventually.Until(
            async () => (await admin.Alerting.ListAlertsAsync(scope: $"user:{user}")).Content!.FirstOrDefault(),
            a => a is not null,
            "the budget alert"
        );
        await admin.Alerting.AcknowledgeAlertAsync(alert!.Id, new AlertActionRequest("erin", "looking"));
        await admin.Alerting.ResolveAlertAsync(alert.Id, new AlertActionRequest("erin", "budget was too small"));

        var issue = await EntryAsync(AdminActionKinds.KeyIssued, reader.Id);
        Assert.Equal(("Ingestion", issued.Id, $"admin-{_run}"), (issue.Service, issue.KeyId, issue.KeySource));
        Assert.Equal(JsonValueKind.Array, issue.Change.GetProperty("teams").ValueKind);
        Assert.DoesNotContain(reader.Key, issue.Change.GetRawText());
        Assert.Equal("Accounting", (await EntryAsync(AdminActionKinds.BudgetSet, $"user:{user}")).Service);
        Assert.Equal(
            0.05m,
            (await EntryAsync(AdminActionKinds.BudgetSet, $"user:{user}")).Change.GetProperty("amountUsd").GetDecimal()
        );
        Assert.Equal(
            5m,
            (await EntryAsync(AdminActionKinds.DiscountSet, $"vendor-{_run}"))
                .Change.GetProperty("percent")
                .GetDecimal()
        );
        await EntryAsync(AdminActionKinds.KeyRevoked, reader.Id);
        await EntryAsync(AdminActionKinds.DirectoryUserSet, $"user:{user}");
        await EntryAsync(AdminActionKinds.PriceSet, $"openai/model-{_run}");
        await EntryAsync(AdminActionKinds.RuleTuned, "runaway");
        var overridden = await EntryAsync(AdminActionKinds.BreakerOverridden, $"user:{user}");
        Assert.Equal(
            ("Alerting", "erin", "launch day"),
            (overridden.Service, overridden.Person, overridden.Change.GetProperty("reason").GetString())
        );
        Assert.Equal("erin", (await EntryAsync(AdminActionKinds.AlertResolved, alert.Id)).Person);
        await EntryAsync(AdminActionKinds.AlertAcknowledged, alert.Id);
        Assert.Equal("Accounting", (await EntryAsync(AdminActionKinds.FailedMessagesReplayed, "all")).Service);

        // Filters: by the key, by a person, by a family of kinds.
        var byKey = await AuditAsync(actor: issued.Id);
        Assert.Equal(11, byKey.Count);
        Assert.All(byKey, e => Assert.Equal(issued.Id, e.KeyId));
        Assert.Equal(byKey.OrderByDescending(e => e.At).Select(e => e.Id), byKey.Select(e => e.Id));
        Assert.Equal(3, (await AuditAsync(actor: "erin")).Count);
        Assert.Equal(
            [AdminActionKinds.KeyIssued, AdminActionKinds.KeyRevoked],
            (await AuditAsync(actor: issued.Id, kind: "key")).Select(e => e.Kind).Order()
        );
    }

    [Fact]
    public async Task Only_an_admin_reads_the_log_and_a_bad_filter_is_refused_naming_it()
    {
        var reader = (await system.Ingest.IssueKeyAsync(new KeyRequest($"finance-{_run}", ["read"]))).Content!;
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await system.Ingestion.Client<IIngestionApi>(reader.Key).GetAuditAsync()).StatusCode
        );

        using var http = WholePipeline.Ops(system.Ingestion);
        foreach (
            var (query, field) in new[]
            {
                ("kind=nonsense", "kind"),
                ("from=yesterday", "from"),
                ("limit=501", "limit"),
                ("from=2026-12-02&to=2026-12-01", "from"),
            }
        )
        {
            var answer = await http.GetAsync($"/v1/audit?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }

    [Fact]
    public async Task An_entry_published_straight_to_the_broker_is_not_taken_into_the_log()
    {
        var forged = new AdminActionRecorded
        {
            Id = Guid.NewGuid(),
            At = DateTimeOffset.UtcNow,
            Service = "Accounting",
            Kind = AdminActionKinds.BudgetSet,
            KeyId = "bootstrap",
            KeySource = "bootstrap",
            Person = "someone-else",
            Subject = $"user:forged-{_run}",
            Change = "{}",
        };
        var logs = system.Ingestion.Logs;
        await BrokerPublisher.PublishAsync(system.Environment, forged);

        await Eventually.Until(
            () => Task.FromResult(logs.Lines.Any(l => l.Contains("Refused a AdminActionRecorded that is not signed"))),
            found => found,
            "Ingestion to refuse the entry"
        );
        Assert.DoesNotContain(await AuditAsync(kind: AdminActionKinds.BudgetSet), e => e.Id == forged.Id);
    }
}
