using System.Net;
using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Accounting;

public sealed class PricingAndSpendTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static UsageEvent Usage(
        string user,
        string model,
        long input,
        long output = 0,
        DateTimeOffset? at = null,
        string? provider = null,
        decimal? reported = null
    ) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = at ?? DateTimeOffset.UtcNow.AddSeconds(-1),
            User = user,
            Model = model,
            Provider = provider,
            InputTokens = input,
            OutputTokens = output,
            ReportedCostUsd = reported,
        };

    [Fact]
    public async Task Spend_is_priced_from_the_book_and_grouped_by_two_dimensions_per_day_in_a_time_zone()
    {
        var user = NewName("ana");
        // Two days ago 23:30 UTC and yesterday 00:30 UTC: two UTC days, but one Tokyo day (08:30 and 09:30, UTC+9).
        var midnight = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        var (before, after) = (midnight.AddMinutes(-30), midnight.AddMinutes(30));
        // gpt-4.1: $2 in, $8 out per MTok → 1,000 in + 100 out = $0.0028. claude-haiku-4-5: $1 / $5 → $0.0015.
        await system.PostAsync(
            Usage(user, "gpt-4.1", 1000, 100, before),
            Usage(user, "gpt-4.1", 1000, 100, after),
            Usage(user, "claude-haiku-4-5-20251001", 1000, 100, before)
        );
        await system.SpendOf(user, f => f.Requests == 3, "three charges");

        var (first, second) = (before.ToString("yyyy-MM-dd"), after.ToString("yyyy-MM-dd"));
        var utc = (await system.Api.GetSpendAsync("user,model", first, second, "day")).Content!.Rows.Where(r =>
            r.Group["user"] == user
        );
        Assert.Equal(
            [(first, "claude-haiku-4-5-20251001", 0.0015m), (first, "gpt-4.1", 0.0028m), (second, "gpt-4.1", 0.0028m)],
            utc.Select(r => (r.Period, r.Group["model"], r.Figures.CostUsd)).OrderBy(x => x.Item1).ThenBy(x => x.Item2)
        );

        var tokyo = (await system.Api.GetSpendAsync("model,user", second, second, "day", "Asia/Tokyo"))
            .Content!.Rows.Where(r => r.Group["user"] == user && r.Group["model"] == "gpt-4.1")
            .ToList();
        var day = Assert.Single(tokyo);
        Assert.Equal((second, 2L, 0.0056m), (day.Period, day.Figures.Requests, day.Figures.CostUsd));
    }

    [Fact]
    public async Task An_unpriced_model_counts_at_zero_is_announced_once_and_is_repriced_when_its_price_arrives()
    {
        var (user, model) = (NewName("bo"), NewName("mystery"));
        await system.PostAsync(Usage(user, model, 2000, 500, provider: "acme"));
        await system.PostAsync(Usage(user, model, 1000, 0, provider: "acme"));
        var unpriced = await system.SpendOf(user, f => f.Requests == 2, "two unpriced charges");
        Assert.Equal((2, 0m), (unpriced.UnpricedRequests, unpriced.CostUsd));
        Assert.Single(await system.AccountingEvents<UnpricedModelSeen>(), e => e.Model == model);
        Assert.Equal(["unpriced"], (await system.SpendRowOf(user))!.PriceVersions);

        var set = await system.Api.SetPriceAsync(
            "acme",
            model,
            new PriceRequest(DateTimeOffset.UtcNow.AddDays(-1), 10m, 20m)
        );
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        // 3,000 input × $10 + 500 output × $20 per MTok = $0.04.
        var priced = await system.SpendOf(user, f => f.UnpricedRequests == 0, "re-pricing after the price arrived");
        Assert.Equal(0.04m, priced.CostUsd);
        var listed = Assert.Single((await system.Api.GetPricesAsync("acme", model)).Content!.Prices);
        Assert.StartsWith($"api:acme/{model}@", listed.Version);
    }

    [Fact]
    public async Task A_price_corrected_retroactively_reprices_the_history_it_covers_and_only_that()
    {
        var (user, model) = (NewName("cy"), NewName("corrected"));
        var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
        await system.Api.SetPriceAsync("acme", model, new PriceRequest(DateTimeOffset.UtcNow.AddDays(-10), 1m, 1m));
        await system.PostAsync(
            Usage(user, model, 1_000_000, 0, twoDaysAgo.AddHours(-1), "acme"),
            Usage(user, model, 1_000_000, 0, provider: "acme")
        );
        Assert.Equal(2m, (await system.SpendOf(user, f => f.Requests == 2, "charges at $1")).CostUsd);

        // The correction starts after the first charge: only the second is re-priced, to $3.
        await system.Api.SetPriceAsync("acme", model, new PriceRequest(twoDaysAgo, 3m, 3m));
        var repriced = await system.SpendOf(user, f => f.CostUsd == 4m, "the correction applied");
        Assert.Equal(2, repriced.Requests);
        var versions = (await system.SpendRowOf(user))!.PriceVersions;
        Assert.Equal(2, versions.Count);
        Assert.All(versions, v => Assert.StartsWith($"api:acme/{model}@", v));
        Assert.Contains(
            await system.AccountingEvents<UsageRepricedBatch>(),
            b => b.Items.Any(i => i.Charge.User == user && i.PreviousCost.Total == 1m)
        );
    }

    [Fact]
    public async Task A_LiteLLM_price_map_import_prices_its_models()
    {
        var (user, model) = (NewName("di"), NewName("imported"));
        using var map = JsonDocument.Parse(
            $$$"""
            {"{{{model}}}": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 4e-06},
             "acme-embed": {"litellm_provider": "acme", "mode": "embedding", "input_cost_per_token": 1e-08}}
            """
        );
        var import = await system.Api.ImportLiteLlmPricesAsync(
            map.RootElement.Clone(),
            DateTimeOffset.UtcNow.AddDays(-1).ToString("O")
        );
        Assert.Equal((1, 1), (import.Content!.Imported, import.Content.Skipped));

        await system.PostAsync(Usage(user, "acme/" + model, 1_000_000, 1_000_000));
        Assert.Equal(6m, (await system.SpendOf(user, f => f.Requests == 1, "the imported price")).CostUsd);
    }

    [Fact]
    public async Task Reconciliation_shows_our_cost_theirs_and_the_drift_and_CSV_exports_the_spend_rows()
    {
        var user = NewName("ed");
        // gpt-4o: $2.50 per MTok in: 100,000 tokens = $0.25; the gateway said $0.30.
        await system.PostAsync(Usage(user, "gpt-4o", 100_000, reported: 0.30m));
        await system.SpendOf(user, f => f.Requests == 1, "the charge");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var report = (await system.Api.GetReconciliationAsync(today, today)).Content!;
        var row = Assert.Single(report.Rows, r => r.Model == "openai/gpt-4o");
        Assert.Equal(
            (0.25m, 0.30m, 0.05m, 20m),
            (row.OurCostUsd, row.ReportedCostUsd, row.DriftUsd, row.DriftPercent!.Value)
        );

        var csv = (await system.Api.ExportSpendCsvAsync("user,model", today, today)).Content!;
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("user,model,period,requests,unpriced_requests,input_tokens", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{user},gpt-4o,,1,0,100000,") && l.TrimEnd('\r').EndsWith(",0.25"));
    }

    [Theory]
    [InlineData("groupBy=user,user", "groupBy")]
    [InlineData("groupBy=colour", "groupBy")]
    [InlineData("groupBy=user&timeZone=Mars/Olympus", "timeZone")]
    [InlineData("groupBy=user&interval=fortnight", "interval")]
    [InlineData("groupBy=user&from=2026-13-01", "from")]
    public async Task A_bad_spend_query_names_the_parameter(string query, string field)
    {
        using var http = system.Accounting.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var response = await http.GetAsync("/v1/spend?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_price_without_its_rates_is_rejected_naming_them()
    {
        using var http = system.Accounting.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var response = await http.PutAsync(
            "/v1/prices/acme/x",
            new StringContent(
                """{"effectiveFrom":"2026-01-01T00:00:00Z"}""",
                System.Text.Encoding.UTF8,
                "application/json"
            )
        );
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("inputPerMTok", body);
        Assert.Contains("outputPerMTok", body);
    }

    [Fact]
    public async Task Data_teams_can_query_daily_spend_per_user_and_model_in_SQL()
    {
        var user = NewName("fay");
        await system.PostAsync(Usage(user, "gpt-4.1", 500_000, 0)); // $1.00
        await system.SpendOf(user, f => f.Requests == 1, "the charge");

        await using var connection = new Npgsql.NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            $"select model, requests, cost_usd from {system.Environment.Schema("accounting")}.daily_user_model_spend where user_id = @u",
            connection
        );
        query.Parameters.AddWithValue("u", user);
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("gpt-4.1", 1L, 1.00m), (reader.GetString(0), reader.GetInt64(1), reader.GetDecimal(2)));
    }
}
