using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tokenwise.Client.Models;
using Tokenwise.Outcomes.Rebuilding;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Outcomes;

public sealed class RebuildTests(OutcomesSystem system) : IClassFixture<OutcomesSystem>
{
    private async Task<string> Snapshot()
    {
        var schema = system.Environment.Schema("outcomes");
        await using var connection = new NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        var lines = new List<string>();
        foreach (
            var (table, key) in new[]
            {
                ("usage_facts", "usage_key"),
                ("prs", "pr_key"),
                ("failures", "outcome_key"),
                ("deployments", "outcome_key"),
                ("people", "user_id"),
            }
        )
        {
            await using var command = new NpgsqlCommand(
                $"select {table}::text from {schema}.{table} order by {key}",
                connection
            );
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add(table + " " + reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task Rebuilding_the_read_models_from_the_events_gives_identical_tables()
    {
        var repo = "acme/rb" + Guid.NewGuid().ToString("N")[..6];
        var now = DateTimeOffset.UtcNow;
        await system.Ingest.SetDirectoryUserAsync(
            "rb-dev",
            new DirectoryUserRequest(null, null, "rb-team", "rb-boss", null)
        );
        await system.Ingest.RecordUsageBatchAsync([
            new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-3),
                User = "rb-dev",
                Model = "gpt-4.1",
                InputTokens = 1000,
                Repo = repo,
                Branch = "feat/rb",
            },
            new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-2),
                User = "rb-dev",
                Model = "gpt-4.1",
                InputTokens = 2000,
            },
            new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-2),
                User = "rb-other",
                Model = "gpt-4.1",
                InputTokens = 3000,
            },
        ]);
        await system.Ingest.RecordOutcomesAsync([
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-1),
                Kind = "pr_merged",
                Repo = repo,
                PrNumber = 3,
                User = "rb-dev",
                Branch = "feat/rb",
                Sha = "feedbeef01",
            },
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddMinutes(-30),
                Kind = "deployment",
                Repo = repo,
                Sha = "feedbeef01",
            },
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddMinutes(-20),
                Kind = "revert",
                Repo = repo,
                Links = new OutcomeLinksModel([3]),
            },
        ]);
        var (owner, name) = (repo.Split('/')[0], repo.Split('/')[1]);
        await Eventually.Until(
            async () => (await system.Api.GetPrAsync(owner, name, 3)).Content,
            pr => pr?.Requests == 2 && pr.Reverted,
            "attribution and the revert"
        );

        // Every outcome travels as its own message: wait until the deployment has been taken in too.
        var before = await Eventually.Until(
            Snapshot,
            s => s.Contains("deployments (") && s.Contains("rb-boss"),
            "the deployment and the directory entry to be observed"
        );
        var schema = system.Environment.Schema("outcomes");
        var replayed = await system.Outcomes.Services.GetRequiredService<OutcomesRebuilder>().RebuildAsync(default);
        var after = await Snapshot();

        Assert.True(replayed > 0);
        Assert.Contains("rb-dev", before);
        Assert.Equal(before, after);
        // The daily table followed the rebuild's truncate and replay (attribution updates included) through its triggers.
        Assert.Equal(0, await DailyUsageCheck.MismatchesAsync(system.Environment.Servers.Postgres, schema));
    }
}
