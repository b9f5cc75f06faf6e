using System.Net;
using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>A read that would answer more than a page says how to narrow it; the CSV export streams every row, safely.</summary>
public sealed class BoundedReadsTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    [Fact]
    public async Task Spend_wider_than_ten_thousand_rows_is_a_400_that_says_how_to_narrow_it_and_the_export_streams_every_row()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        // 10,001 people, one request each: one row more than a JSON answer holds. One name a spreadsheet would run.
        var usage = Enumerable
            .Range(0, 10_001)
            .Select(i => new UsageEvent
            {
                Id = $"{run}-{i}",
                OccurredAt = at,
                User = i == 0 ? $"=HYPERLINK(\"x\",\"{run}\")" : $"wide-{run}-{i}",
                Team = $"wide-{run}",
                Model = "gpt-4.1",
                Provider = "openai",
                InputTokens = 1,
            })
            .ToList();
        foreach (var part in usage.Chunk(5_000))
            Assert.Equal(HttpStatusCode.Accepted, (await system.Ingest.RecordUsageBatchAsync(part)).StatusCode);
        var day = at.UtcDateTime.ToString("yyyy-MM-dd");
        await Eventually.Until(
            async () =>
                (await system.Api.GetSpendAsync("team", day, day))
                    .Content!.Rows.SingleOrDefault(r => r.Group["team"] == $"wide-{run}")
                    ?.Figures.Requests,
            n => n == 10_001,
            "all 10,001 requests charged"
        );

        var wide = await system.Api.GetSpendAsync("user", day, day);

        Assert.Equal(HttpStatusCode.BadRequest, wide.StatusCode);
        using (var problem = JsonDocument.Parse(wide.ErrorBody()))
            Assert.Contains(
                "/v1/spend/export",
                problem.RootElement.GetProperty("errors").GetProperty("$")[0].GetString()
            );
        using var http = system.Accounting.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var csv = (await http.GetStringAsync($"/v1/spend/export?groupBy=user&from={day}&to={day}")).Split(
            '\n',
            StringSplitOptions.RemoveEmptyEntries
        );
        Assert.Equal(10_001, csv.Count(line => line.Contains(run)));
        // The formula starts with an apostrophe, so a spreadsheet shows it as text instead of running it.
        Assert.Contains(csv, line => line.StartsWith($"\"'=HYPERLINK(\"\"x\"\",\"\"{run}\"\")\","));
    }
}
