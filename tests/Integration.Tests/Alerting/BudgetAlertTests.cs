using System.Net;
using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class BudgetAlertTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    /// <summary>gpt-4.1 input is $2 per MTok: 50,000 tokens cost $0.10.</summary>
    private static UsageEvent Usage(string user, string? session = null) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-5),
            User = user,
            Model = "gpt-4.1",
            InputTokens = 50_000,
            SessionId = session,
        };

    /// <summary>
    /// A day's budget that these tests fill to at most half before the alert they wait for is never projected to run
    /// out early: the forecast's window is at least a day long and less than a day is left, so it projects at most
    /// twice the spend so far. Their alerts are the thresholds' alone.
    /// </summary>
    private const string Day = "day";

    [Fact]
    public async Task A_hard_budget_exhausted_alerts_on_the_topic_in_plain_JSON_and_opens_the_breaker_on_every_instance_until_overridden()
    {
        var user = "spender-" + Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(
            system.Environment,
            "alert.budget.#",
            "alert.breaker.#"
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await system.Spend.SetBudgetAsync("user", user, new BudgetRequest(0.20m, Day, HardLimit: true))).StatusCode
        );
        Assert.True((await system.Api.CheckAsync(user)).Content!.Allow);
        using var http = system.Alerting.Http();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            IsolatedEnvironment.BootstrapKey
        );
        using var shape = JsonDocument.Parse(await http.GetStringAsync($"/v1/check?user={user}"));
        Assert.Equal(["allow", "reason", "breaker"], shape.RootElement.EnumerateObject().Select(p => p.Name));

        await system.Ingest.RecordUsageAsync(Usage(user));
        var info = (
            await subscriber.WaitForAsync(
                m => m.RoutingKey == "alert.budget.info" && m.Text("title").Contains(user),
                "the 50% alert"
            )
        ).Single();
        Assert.Equal("application/json", info.ContentType);
        Assert.Equal(
            ("raised", "user", user),
            (
                info.Text("status"),
                info.Body.GetProperty("scope").GetProperty("type").GetString(),
                info.Body.GetProperty("scope").GetProperty("id").GetString()
            )
        );
        Assert.False(info.Body.TryGetProperty("messageType", out _)); // not a MassTransit envelope
        Assert.Equal(0.10m, info.Body.GetProperty("observed").GetDecimal());

        await system.Ingest.RecordUsageAsync(Usage(user));
        var critical = (
            await subscriber.WaitForAsync(
                m => m.RoutingKey == "alert.budget.critical" && m.Text("title").Contains(user),
                "the 100% alert"
            )
        ).Single();
        Assert.Equal(("escalated", info.Text("alertId")), (critical.Text("status"), critical.Text("alertId")));
        await subscriber.WaitForAsync(
            m => m.RoutingKey == "alert.breaker.critical" && m.Text("title").Contains(user),
            "the breaker to open"
        );

        // Every instance answers from its own memory, the one without the daemon too.
        foreach (var api in new[] { system.Api, system.SecondApi })
        {
            var check = await Eventually.Until(
                async () => (await api.CheckAsync(user, model: "gpt-4.1")).Content!,
                c => !c.Allow,
                "the check to refuse"
            );
            Assert.Contains("hard budget exhausted", check.Reason);
            Assert.Equal(
                ("user", user, "open"),
                (check.Breaker!.ScopeType, check.Breaker.ScopeId, check.Breaker.State)
            );
        }
        var alerts = (await system.Api.ListAlertsAsync(status: "open", kind: "budget", scope: $"user:{user}")).Content!;
        var alert = Assert.Single(alerts);
        Assert.Equal(("critical", "escalated"), (alert.Severity, alert.Status));

        var until = DateTimeOffset.UtcNow.AddHours(2);
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await system.Api.OverrideBreakerAsync(user, new BreakerOverrideRequest("carol", until, "launch day"))
            ).StatusCode
        );
        await subscriber.WaitForAsync(
            m => m.RoutingKey == "alert.breaker.info" && m.Text("title").Contains(user),
            "the override to be published"
        );
        foreach (var api in new[] { system.Api, system.SecondApi })
            await Eventually.Until(
                async () => (await api.CheckAsync(user)).Content!,
                c => c.Allow,
                "the override to let spend through"
            );
        var breaker = (await system.SecondApi.GetBreakerAsync(user)).Content!;
        Assert.Equal(("closed", "carol"), (breaker.State, breaker.Override!.By));
    }

    [Fact]
    public async Task A_budget_heading_to_run_out_before_its_period_ends_raises_a_warning_while_there_is_time()
    {
        var user = "pacer-" + Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.budget.#");
        // A day's budget in a zone where the day began about an hour ago: at the first request's pace ($0.10 a day,
        // the window stretched to a whole day) the 23 hours left would spend $0.19 of $0.18 (no threshold before 100%).
        var now = DateTimeOffset.UtcNow;
        var offset = now.Hour <= 11 ? 1 - now.Hour : 25 - now.Hour;
        var zone = offset >= 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await system.Spend.SetBudgetAsync(
                    "user",
                    user,
                    new BudgetRequest(0.18m, Day, zone, ThresholdsPercent: [100])
                )
            ).StatusCode
        );

        await system.Ingest.RecordUsageAsync(Usage(user));
        var warning = (
            await subscriber.WaitForAsync(
                m => m.RoutingKey == "alert.budget.warning" && m.Text("title").Contains(user),
                "the projected run-out"
            )
        ).Single();
        Assert.Equal("raised", warning.Text("status"));
        Assert.Contains("is heading to spend its $0.18 budget", warning.Text("title"));
        var budget = (await system.Spend.GetBudgetAsync("user", user)).Content!;
        Assert.True(budget.Forecast!.RunsOutEarly);
        Assert.Empty(budget.FiredThresholds);

        // Spent: the same alert escalates, and the forecast that warned is not raised again.
        await system.Ingest.RecordUsageAsync(Usage(user));
        var critical = (
            await subscriber.WaitForAsync(
                m => m.RoutingKey == "alert.budget.critical" && m.Text("title").Contains(user),
                "the 100% alert"
            )
        ).Single();
        Assert.Equal(("escalated", warning.Text("alertId")), (critical.Text("status"), critical.Text("alertId")));
        var alert = Assert.Single((await system.Api.ListAlertsAsync(kind: "budget", scope: $"user:{user}")).Content!);
        var history = (await system.Api.GetAlertAsync(alert.Id)).Content!.History;
        Assert.Equal(["raised", "escalated"], history.Select(h => h.Change));
    }

    [Fact]
    public async Task A_hard_budget_that_alerts_only_at_half_still_stops_spend_when_it_is_spent()
    {
        var user = "halfway-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await system.Spend.SetBudgetAsync(
                    "user",
                    user,
                    new BudgetRequest(0.10m, Day, ThresholdsPercent: [50], HardLimit: true)
                )
            ).StatusCode
        );

        await system.Ingest.RecordUsageAsync(Usage(user));

        var check = await Eventually.Until(
            async () => (await system.Api.CheckAsync(user)).Content!,
            c => !c.Allow,
            "the breaker to open at the amount"
        );
        Assert.Contains("hard budget exhausted", check.Reason);
        var budget = (await system.Spend.GetBudgetAsync("user", user)).Content!;
        Assert.Equal([50], budget.FiredThresholds);
        Assert.True(budget.Exhausted);
    }

    [Fact]
    public async Task An_alert_is_acknowledged_and_resolved_with_who_and_why_in_its_history_and_each_change_is_published()
    {
        var user = "acker-" + Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.*.info");
        await system.Spend.SetBudgetAsync("user", user, new BudgetRequest(0.25m, Day, ThresholdsPercent: [40]));
        await system.Ingest.RecordUsageAsync(Usage(user));
        var raised = (await subscriber.WaitForAsync(m => m.Text("title").Contains(user), "the alert")).Single();
        var id = raised.Text("alertId");

        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await system.Api.ResolveAlertAsync(id, new AlertActionRequest("dana", null))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await system.Api.AcknowledgeAlertAsync("al_nothing", new AlertActionRequest("dana", null))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await system.Api.AcknowledgeAlertAsync(id, new AlertActionRequest("dana", "on it"))).StatusCode
        );
        await subscriber.WaitForAsync(
            m => m.Text("alertId") == id && m.Text("status") == "acknowledged",
            "the acknowledgement"
        );
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await system.Api.ResolveAlertAsync(id, new AlertActionRequest("dana", "budget raised"))).StatusCode
        );
        await subscriber.WaitForAsync(m => m.Text("alertId") == id && m.Text("status") == "resolved", "the resolution");

        var details = (await system.Api.GetAlertAsync(id)).Content!;
        Assert.Equal(["raised", "acknowledged", "resolved"], details.History.Select(h => h.Change));
        Assert.Equal(("dana", "budget raised"), (details.History[^1].By, details.History[^1].Reason));
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await system.Api.AcknowledgeAlertAsync(id, new AlertActionRequest("dana", null))).StatusCode
        );
    }

    [Fact]
    public async Task Bad_rule_settings_and_a_check_without_a_user_are_refused_naming_the_field()
    {
        var unknown = await system.Api.TuneRuleAsync("nonsense", new Dictionary<string, object> { ["enabled"] = true });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var negative = await system.Api.TuneRuleAsync(
            "burn_rate",
            new Dictionary<string, object> { ["multiplier"] = -1, ["colour"] = "red" }
        );
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("multiplier", negative.ErrorBody());
        Assert.Contains("colour", negative.ErrorBody());
        var check = await system.Api.CheckAsync("");
        Assert.Equal(HttpStatusCode.BadRequest, check.StatusCode);
        Assert.Equal("application/problem+json", check.ErrorMediaType());

        var rules = (await system.Api.GetRulesAsync()).Content;
        Assert.Equal(5m, rules.GetProperty("burn_rate").GetProperty("multiplier").GetDecimal());
        Assert.Equal(250m, rules.GetProperty("burn_rate").GetProperty("dailyCapUsd").GetDecimal());
        Assert.Equal(JsonValueKind.True, rules.GetProperty("unpriced").GetProperty("enabled").ValueKind);
    }
}
