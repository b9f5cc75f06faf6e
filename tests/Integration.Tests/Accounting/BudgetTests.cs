using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tokenwise.Accounting.Budgets;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Accounting;

public sealed class BudgetTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    private static string NewUser() => "budget-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>gpt-4.1 input is $2 per MTok: 100,000 tokens cost $0.20.</summary>
    private static UsageEvent Spend(string user, decimal usd) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-1),
            User = user,
            Model = "gpt-4.1",
            InputTokens = (long)(usd / 2m * 1_000_000m),
        };

    private async Task<BudgetView> BudgetUntil(string user, Func<BudgetView, bool> done, string what) =>
        await Eventually.Until(async () => (await system.Api.GetBudgetAsync("user", user)).Content!, done, what);

    private async Task<(int Crossed, int Exhausted)> Published(string user)
    {
        var crossed = (await system.AccountingEvents<BudgetThresholdCrossed>()).Count(e => e.ScopeId == user);
        var exhausted = (await system.AccountingEvents<BudgetExhausted>()).Count(e => e.ScopeId == user);
        return (crossed, exhausted);
    }

    [Fact]
    public async Task A_budget_shows_where_its_month_is_heading_and_when_it_runs_out_at_the_recent_pace()
    {
        var user = NewUser();
        Assert.Equal(
            HttpStatusCode.OK,
            (await system.Api.SetBudgetAsync("user", user, new BudgetRequest(10m))).StatusCode
        );
        await system.PostAsync(Spend(user, 2m));

        var budget = await BudgetUntil(user, b => b.SpentUsd == 2m, "the charge to count");
        var asked = DateTimeOffset.UtcNow;

        // $2 in a window of at least a day and at most the week so far: the rest of the month at that pace.
        var forecast = budget.Forecast!;
        var window = Math.Max(1, Math.Min(7, (asked - budget.PeriodStart).TotalDays));
        Assert.Equal(2 / window, (double)forecast.DailyRateUsd, 0.01);
        var remaining = (budget.PeriodEnd - asked).TotalDays;
        Assert.Equal(2 + 2 / window * remaining, (double)forecast.ProjectedUsd, 0.05);
        // Spending $2 a day at most, $8 more take four days or more: inside the month unless it is nearly over.
        var runsOutAfterDays = 8 / (2 / window);
        if (runsOutAfterDays < (budget.PeriodEnd - asked).TotalDays - 0.01)
        {
            Assert.True(forecast.RunsOutEarly);
            Assert.InRange(
                forecast.RunsOutAt!.Value,
                asked.AddDays(runsOutAfterDays - 0.01),
                asked.AddDays(runsOutAfterDays + 0.01)
            );
        }
        else
            Assert.False(forecast.RunsOutEarly);
    }

    [Fact]
    public async Task A_teams_month_is_projected_at_the_same_pace_as_its_budget_would_be()
    {
        var team = "forecast-" + Guid.NewGuid().ToString("N")[..8];
        await system.PostAsync(Spend(NewUser(), 2m) with { Team = team }, Spend(NewUser(), 1m) with { Team = team });

        var report = await Eventually.Until(
            async () => (await system.Api.GetSpendForecastAsync("team")).Content!,
            r => r.Groups.Any(g => g.Group == team && g.SpentUsd == 3m),
            "the team's charges"
        );
        var asked = DateTimeOffset.UtcNow;

        var forecast = report.Groups.Single(g => g.Group == team);
        Assert.Equal(("team", "month"), (report.GroupBy, report.Period));
        // The window starts on a whole hour (spend is kept per hour): the later of the month's start and a week ago.
        var weekAgo = asked.AddDays(-7);
        var windowStart = new[]
        {
            report.PeriodStart,
            weekAgo.AddTicks(-(weekAgo.UtcTicks % TimeSpan.TicksPerHour)),
        }.Max();
        var window = Math.Max(1, (asked - windowStart).TotalDays);
        Assert.Equal(3 / window, (double)forecast.DailyRateUsd, 0.01);
        Assert.Equal(3 + 3 / window * (report.PeriodEnd - asked).TotalDays, (double)forecast.ProjectedUsd, 0.05);
    }

    [Theory]
    [InlineData("groupBy=colour", "groupBy")]
    [InlineData("period=year", "period")]
    [InlineData("timeZone=Mars/Olympus", "timeZone")]
    public async Task A_bad_forecast_query_names_the_parameter(string query, string field)
    {
        using var http = system.Accounting.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var response = await http.GetAsync("/v1/spend/forecast?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Thresholds_fire_once_per_period_even_after_redelivery_and_a_restart()
    {
        var user = NewUser();
        var set = await system.Api.SetBudgetAsync(
            "user",
            user,
            new BudgetRequest(1.00m, "day", "Europe/Berlin", [50, 80, 100], HardLimit: true)
        );
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        await system.PostAsync(Spend(user, 0.60m));
        var half = await BudgetUntil(user, b => b.FiredThresholds.Count == 1, "50% to fire");
        Assert.Equal([50], half.FiredThresholds);
        Assert.Equal((0.60m, 0.40m, false), (half.SpentUsd, half.RemainingUsd, half.Exhausted));

        var last = Spend(user, 0.50m);
        await system.PostAsync(last);
        var spent = await BudgetUntil(user, b => b.Exhausted && b.FiredThresholds.Count == 3, "80% and 100% to fire");
        Assert.Equal(1.10m, spent.SpentUsd);

        // The relay delivers at least once: the same batch again must change nothing.
        var again = new UsageRecordedBatch
        {
            BatchId = "redelivered",
            Items =
            [
                new UsageRecorded
                {
                    Key = $"bootstrap/{last.Id}",
                    Source = "bootstrap",
                    Id = last.Id,
                    OccurredAt = last.OccurredAt,
                    RecordedAt = DateTimeOffset.UtcNow,
                    User = user,
                    Model = last.Model,
                    InputTokens = last.InputTokens!.Value,
                },
            ],
        };
        await system.Ingestion.Services.GetRequiredService<IBus>().Publish(again);
        await system.RestartAccountingAsync();

        // A later charge proves the restarted Accounting has caught up with everything before it.
        await system.PostAsync(Spend(user, 0.02m));
        var after = await BudgetUntil(user, b => b.SpentUsd == 1.12m, "the charge after the restart");
        Assert.Equal([50, 80, 100], after.FiredThresholds);
        Assert.Equal((3, 1), await Published(user));
        Assert.True(Assert.Single(await system.AccountingEvents<BudgetExhausted>(), e => e.ScopeId == user).HardLimit);
    }

    [Fact]
    public async Task Just_below_a_threshold_nothing_fires_and_exactly_at_it_the_threshold_fires()
    {
        var (user, marker) = (NewUser(), NewUser());
        await system.Api.SetBudgetAsync("user", user, new BudgetRequest(1.00m, "month"));
        await system.Api.SetBudgetAsync("user", marker, new BudgetRequest(1.00m, "month", ThresholdsPercent: [50]));

        await system.PostAsync(Spend(user, 0.4999m));
        await BudgetUntil(user, b => b.SpentUsd == 0.4999m, "the charge to be committed");
        // The monitor handles charges in commit order: once the marker's later charge has fired, the first was evaluated.
        await system.PostAsync(Spend(marker, 0.60m));
        await BudgetUntil(marker, b => b.FiredThresholds.Count == 1, "the marker budget to fire");
        var below = (await system.Api.GetBudgetAsync("user", user)).Content!;
        Assert.Equal(0.4999m, below.SpentUsd);
        Assert.Empty(below.FiredThresholds);

        await system.PostAsync(Spend(user, 0.0001m));
        var at = await BudgetUntil(user, b => b.FiredThresholds.Count > 0, "50% to fire");
        Assert.Equal(0.5m, at.SpentUsd);
        Assert.Equal([50], at.FiredThresholds);
        Assert.Equal((1, 0), await Published(user));
    }

    [Fact]
    public async Task A_budget_set_today_fires_for_this_period_only_never_for_one_already_over()
    {
        var user = NewUser();
        await system.Api.SetBudgetAsync("user", user, new BudgetRequest(1.00m, "day"));
        // Two days ago (sent late, as senders may): $1.50, over the amount, in a day that ended before the budget existed.
        await system.PostAsync(
            Spend(user, 1.50m) with
            {
                OccurredAt = DateTimeOffset.UtcNow.AddDays(-2),
            },
            Spend(user, 0.60m)
        );

        var today = await BudgetUntil(user, b => b.FiredThresholds.Count > 0, "today's 50% to fire");
        Assert.Equal(0.60m, today.SpentUsd);
        Assert.Equal([50], today.FiredThresholds);
        Assert.Equal((1, 0), await Published(user));
    }

    [Fact]
    public async Task A_team_budget_counts_the_spend_of_everyone_in_the_team()
    {
        var team = "team-" + Guid.NewGuid().ToString("N")[..6];
        await system.Api.SetBudgetAsync("team", team, new BudgetRequest(0.10m, "week", ThresholdsPercent: [100]));
        await system.PostAsync(
            Spend(NewUser(), 0.06m) with
            {
                Team = team,
            },
            Spend(NewUser(), 0.06m) with
            {
                Team = team,
            }
        );

        var budget = await Eventually.Until(
            async () => (await system.Api.GetBudgetAsync("team", team)).Content!,
            b => b.Exhausted,
            "team budget"
        );
        Assert.Equal(0.12m, budget.SpentUsd);
        Assert.Contains((await system.Api.ListBudgetsAsync()).Content!, b => b.ScopeId == team && b.SpentUsd == 0.12m);
    }

    [Fact]
    public async Task Budgets_listed_together_each_count_their_own_scope_and_period_as_read_alone()
    {
        var (alice, bob) = (NewUser(), NewUser());
        var (team, org) = ("team-" + Guid.NewGuid().ToString("N")[..6], "org-" + Guid.NewGuid().ToString("N")[..6]);
        await system.Api.SetBudgetAsync("user", alice, new BudgetRequest(10m));
        await system.Api.SetBudgetAsync("user", bob, new BudgetRequest(10m, "week", "Asia/Kolkata"));
        await system.Api.SetBudgetAsync("team", team, new BudgetRequest(10m));
        await system.Api.SetBudgetAsync("org", org, new BudgetRequest(1_000_000m));
        await system.PostAsync(
            Spend(alice, 0.20m) with
            {
                Team = team,
            },
            Spend(bob, 0.40m),
            Spend(NewUser(), 0.06m) with
            {
                Team = team,
            }
        );
        await system.SpendOf(bob, f => f.CostUsd == 0.40m, "bob's charge");
        await system.SpendOf(alice, f => f.CostUsd == 0.20m, "alice's charge");

        var today = DateTime.UtcNow;
        var monthEnd = new DateTime(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        var (listed, everyone) = await Eventually.Until(
            async () =>
            {
                var listed = (await system.Api.ListBudgetsAsync()).Content!.ToDictionary(b => b.ScopeId);
                var month = await system.Api.GetSpendAsync(
                    "user",
                    today.ToString("yyyy-MM-01"),
                    monthEnd.ToString("yyyy-MM-dd")
                );
                return (listed, month.Content!.Rows.Sum(r => r.Figures.CostUsd));
            },
            r => r.listed[team].SpentUsd == 0.26m && r.listed[org].SpentUsd == r.Item2,
            "every budget listed with its own spend"
        );

        Assert.Equal((0.20m, 0.40m), (listed[alice].SpentUsd, listed[bob].SpentUsd));
        Assert.Equal("Asia/Kolkata", listed[bob].TimeZone);
        Assert.True(everyone >= 0.66m);
        // The forecast's rate moves with the clock between two reads; the period and its spend do not.
        static object Standing(BudgetView b) => (b.PeriodStart, b.PeriodEnd, b.SpentUsd, b.RemainingUsd, b.Exhausted);
        foreach (var (type, id) in new[] { ("user", alice), ("user", bob), ("team", team) })
            Assert.Equal(Standing(listed[id]), Standing((await system.Api.GetBudgetAsync(type, id)).Content!));
    }

    [Fact]
    public async Task A_day_that_starts_on_the_half_hour_counts_its_part_hours_at_both_ends_and_nothing_outside()
    {
        // Kolkata is UTC+5:30: its days start at 18:30 UTC, in the middle of a UTC hour of spend_hourly.
        var user = NewUser();
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var (start, end) = BudgetPeriods.Containing(DateTimeOffset.UtcNow.AddDays(-3), "day", kolkata);
        Assert.Equal((18, 30), (start.UtcDateTime.Hour, start.UtcDateTime.Minute));

        await system.PostAsync(
            Spend(user, 1.00m) with
            {
                OccurredAt = start.AddSeconds(-1),
            },
            Spend(user, 0.20m) with
            {
                OccurredAt = start,
            },
            Spend(user, 0.02m) with
            {
                OccurredAt = start.AddMinutes(29),
            },
            Spend(user, 0.04m) with
            {
                OccurredAt = start.AddMinutes(31),
            },
            Spend(user, 0.08m) with
            {
                OccurredAt = end.AddSeconds(-1),
            },
            Spend(user, 0.50m) with
            {
                OccurredAt = end,
            }
        );
        await system.SpendOf(user, f => f.Requests == 6, "all six charges");

        var budget = new Budget
        {
            ScopeType = "user",
            ScopeId = user,
            Period = "day",
            TimeZone = kolkata.Id,
        };
        await using var connection = new NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        var spent = await system
            .Accounting.Services.GetRequiredService<BudgetSpend>()
            .SpentAsync(budget, start, end, connection, default);
        Assert.Equal(0.34m, spent);
    }

    [Theory]
    [InlineData("user", """{"amountUsd":0}""", "amountUsd")]
    [InlineData("user", """{"amountUsd":5,"period":"year"}""", "period")]
    [InlineData("user", """{"amountUsd":5,"timeZone":"Atlantis/Capital"}""", "timeZone")]
    [InlineData("user", """{"amountUsd":5,"thresholdsPercent":[0]}""", "thresholdsPercent")]
    [InlineData("planet", """{"amountUsd":5}""", "scopeType")]
    public async Task An_invalid_budget_is_rejected_naming_the_field(string scopeType, string body, string field)
    {
        using var http = system.Accounting.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var response = await http.PutAsync(
            $"/v1/budgets/{scopeType}/someone",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetBudgetAsync(scopeType, "someone")).StatusCode);
    }
}
