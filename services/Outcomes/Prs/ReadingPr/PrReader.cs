using System.Data;
using Npgsql;
using Tokenwise.Client.Models;
using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Quality;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Prs.ReadingPr;

/// <summary>A PR's report, with the team that owns it (for the reader's limits).</summary>
public sealed record FoundPr(PrReport Report, string? Team);

/// <summary>What a PR cost, who and which sessions spent it, by which rule, and the failures that name it.</summary>
public sealed class PrReader(TokenwiseSettings settings)
{
    private string T(string table) => $"{settings.Schema}.{table}";

    public async Task<FoundPr?> ReadAsync(string repo, int number, CancellationToken ct)
    {
        var key = OutcomeStore.PrKeyOf(repo, number);
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);

        await using var pr = new NpgsqlCommand(
            $"""
            select repo, state, author, title, closed_at, ai_assisted, shas, team
            from {T(OutcomeTables.Prs)}
            where pr_key = @key
            """,
            connection
        );
        pr.Parameters.AddWithValue("key", key);
        string prRepo,
            state;
        string? author,
            title,
            team;
        DateTimeOffset closedAt;
        bool aiAssisted;
        string[] shas;
        await using (var reader = await pr.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
                return null;
            (prRepo, state, author, title, team) = (
                reader.GetString("repo"),
                reader.GetString("state"),
                reader.GetStringOrNull("author"),
                reader.GetStringOrNull("title"),
                reader.GetStringOrNull("team")
            );
            (closedAt, aiAssisted, shas) = (
                reader.GetFieldValue<DateTimeOffset>("closed_at"),
                reader.GetBoolean("ai_assisted"),
                reader.GetFieldValue<string[]>("shas")
            );
        }

        await using var usage = new NpgsqlCommand(
            $$"""
            select count(*) as requests,
                   coalesce(sum(cost), 0) as cost,
                   coalesce(sum(input_tokens), 0) as input_tokens,
                   coalesce(sum(cache_read_tokens), 0) as cache_read_tokens,
                   coalesce(sum(cache_write_tokens), 0) as cache_write_tokens,
                   coalesce(sum(cache_write_1h_tokens), 0) as cache_write_1h_tokens,
                   coalesce(sum(output_tokens), 0) as output_tokens,
                   coalesce(sum(reasoning_tokens), 0) as reasoning_tokens,
                   coalesce(array_agg(distinct user_id) filter (where user_id is not null), '{}') as users,
                   coalesce(array_agg(distinct session_id) filter (where session_id is not null), '{}') as sessions
            from {{T(OutcomeTables.UsageFacts)}}
            where attributed_pr = @key
            """,
            connection
        );
        usage.Parameters.AddWithValue("key", key);
        long requests;
        decimal cost;
        PrTokens tokens;
        List<string> users,
            sessions;
        await using (var u = await usage.ExecuteReaderAsync(ct))
        {
            await u.ReadAsync(ct);
            (requests, cost) = (u.GetInt64("requests"), u.GetDecimal("cost"));
            tokens = new PrTokens(
                u.GetInt64("input_tokens"),
                u.GetInt64("cache_read_tokens"),
                u.GetInt64("cache_write_tokens"),
                u.GetInt64("cache_write_1h_tokens"),
                u.GetInt64("output_tokens"),
                u.GetInt64("reasoning_tokens")
            );
            users = u.GetFieldValue<string[]>("users").Order().ToList();
            sessions = u.GetFieldValue<string[]>("sessions").Order().ToList();
        }

        await using var rules = new NpgsqlCommand(
            $"""
            select rule, count(*) as requests
            from {T(OutcomeTables.UsageFacts)}
            where attributed_pr = @key
            group by rule
            """,
            connection
        );
        rules.Parameters.AddWithValue("key", key);
        var byRule = new Dictionary<string, long>();
        await using (var r = await rules.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                byRule[r.GetString("rule")] = r.GetInt64("requests");

        var ai = AiAssisted.Of(aiAssisted, byRule.Keys);
        var change = new MergedChange(new PrKey(prRepo, number), null, ai, shas.ToHashSet());
        var linked = (await FailuresNamingAsync(connection, number, shas, ct))
            .Where(f => ChangeFailures.FailedPrs([change], [f.Failure]).Count > 0)
            .ToList();
        var incidents = linked.Where(f => f.Failure.Kind == "incident_opened").Select(f => f.Title ?? f.Key).ToList();
        var reverted = linked.Any(f => f.Failure.Kind == "revert");
        return new FoundPr(
            new PrReport(
                prRepo,
                number,
                state,
                author,
                title,
                closedAt,
                ai,
                cost,
                requests,
                tokens,
                users,
                sessions,
                byRule,
                incidents,
                reverted
            ),
            team
        );
    }

    /// <summary>Failures that name the PR's number or one of its commits (full or abbreviated, either way round).</summary>
    private async Task<List<(string Key, string? Title, Failure Failure)>> FailuresNamingAsync(
        NpgsqlConnection connection,
        int number,
        string[] shas,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            select outcome_key, kind, repo, title, pr_numbers, shas
            from {T(OutcomeTables.Failures)}
            where @number = any(pr_numbers)
               or exists (select 1 from unnest(shas) s, unnest(@shas) own where own like s || '%' or s like own || '%')
            """,
            connection
        );
        command.Parameters.AddWithValue("number", number);
        command.Parameters.AddWithValue("shas", shas);
        var failures = new List<(string, string?, Failure)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            failures.Add(
                (
                    reader.GetString("outcome_key"),
                    reader.GetStringOrNull("title"),
                    new Failure(
                        reader.GetString("kind"),
                        reader.GetStringOrNull("repo"),
                        reader.GetFieldValue<int[]>("pr_numbers"),
                        reader.GetFieldValue<string[]>("shas")
                    )
                )
            );
        return failures;
    }
}
