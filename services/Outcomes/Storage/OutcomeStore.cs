using System.Data;
using Npgsql;
using NpgsqlTypes;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Observing;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Storage;

/// <summary>Reads and writes Outcomes' tables; writes run inside the caller's transaction.</summary>
public sealed class OutcomeStore(TokenwiseSettings settings)
{
    private string T(string table) => $"{settings.Schema}.{table}";

    public static string PrKeyOf(string repo, int number) => $"{repo.ToLowerInvariant()}#{number}";

    /// <summary>The source of outcomes that signed GitHub deliveries recorded (Ingestion's webhook).</summary>
    public const string GitHubSource = "github";

    /// <summary>
    /// Inserts charged usage and returns the keys taken in now: usage already known keeps its row, so the primary key is
    /// the idempotency claim. A row a correction made before its charge arrived (<see cref="ApplyCorrectionsAsync"/>)
    /// is completed instead, and counts as taken in now; its corrected cost stays unless this charge's book is later.
    /// Rows go in key order, so two batches sharing usages cannot deadlock each other.
    /// </summary>
    public async Task<HashSet<string>> InsertUsageAsync(
        IReadOnlyList<ObservedUsage> usage,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) =>
        (
            await WriteUsageAsync(
                usage,
                awaitingCharge: false,
                """
                (usage_key) do update
                set branch = excluded.branch, pr_number = excluded.pr_number, commit_sha = excluded.commit_sha, awaiting_charge = false,
                    cost = case when f.book_version < excluded.book_version then excluded.cost else f.cost end,
                    book_version = greatest(f.book_version, excluded.book_version)
                where f.awaiting_charge
                """,
                connection,
                transaction,
                ct
            )
        ).Changed;

    /// <summary>
    /// Applies cost corrections (re-priced charges): a row takes the corrected cost when the correction comes from a
    /// later price book than the cost it holds, so a redelivered or overtaken correction changes nothing. A correction
    /// that arrives before its charge inserts the row itself, marked as awaiting the charge, which completes it: both
    /// meet on the primary key, so neither can miss the other. Returns the rows inserted and the rows whose cost changed.
    /// </summary>
    public Task<(HashSet<string> Inserted, HashSet<string> Changed)> ApplyCorrectionsAsync(
        IReadOnlyList<ObservedUsage> corrected,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) =>
        WriteUsageAsync(
            corrected,
            awaitingCharge: true,
            """
            (usage_key) do update
            set cost = excluded.cost, book_version = excluded.book_version
            where f.book_version < excluded.book_version
            """,
            connection,
            transaction,
            ct
        );

    private async Task<(HashSet<string> Inserted, HashSet<string> Changed)> WriteUsageAsync(
        IReadOnlyList<ObservedUsage> usage,
        bool awaitingCharge,
        string onConflict,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (usage.Count == 0)
            return (inserted, changed);
        var rows = usage.OrderBy(u => u.UsageKey, StringComparer.Ordinal).ToList();
        // "xmax = 0" holds for a row this statement inserted, not for one it updated.
        await using var command = new NpgsqlCommand(
            $"""
            insert into {T(OutcomeTables.UsageFacts)} as f
              (usage_key, user_id, team, occurred_at, repo, branch, commit_sha, session_id, pr_number, cost,
               input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, book_version,
               awaiting_charge)
            select *, @awaiting_charge
            from unnest(
              @usage_key, @user_id, @team, @occurred_at, @repo, @branch, @commit_sha, @session_id, @pr_number, @cost,
              @input_tokens, @cache_read_tokens, @cache_write_tokens, @cache_write_1h_tokens, @output_tokens, @reasoning_tokens, @book_version)
            on conflict {onConflict}
            returning usage_key, xmax = 0 as inserted
            """,
            connection,
            transaction
        );
        void Add<TValue>(string name, NpgsqlDbType type, Func<ObservedUsage, TValue> value) =>
            command.Parameters.Add(
                new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = rows.Select(value).ToArray() }
            );
        Add("usage_key", NpgsqlDbType.Text, u => u.UsageKey);
        Add("user_id", NpgsqlDbType.Text, u => u.User);
        Add("team", NpgsqlDbType.Text, u => u.Team);
        Add("occurred_at", NpgsqlDbType.TimestampTz, u => u.OccurredAt.UtcDateTime);
        Add("repo", NpgsqlDbType.Text, u => u.Repo);
        Add("branch", NpgsqlDbType.Text, u => u.Branch);
        Add("commit_sha", NpgsqlDbType.Text, u => u.CommitSha);
        Add("session_id", NpgsqlDbType.Text, u => u.SessionId);
        Add("pr_number", NpgsqlDbType.Integer, u => u.PrNumber);
        Add("cost", NpgsqlDbType.Numeric, u => u.CostUsd);
        Add("input_tokens", NpgsqlDbType.Bigint, u => u.Tokens.Input);
        Add("cache_read_tokens", NpgsqlDbType.Bigint, u => u.Tokens.CacheRead);
        Add("cache_write_tokens", NpgsqlDbType.Bigint, u => u.Tokens.CacheWrite);
        Add("cache_write_1h_tokens", NpgsqlDbType.Bigint, u => u.Tokens.CacheWrite1h);
        Add("output_tokens", NpgsqlDbType.Bigint, u => u.Tokens.Output);
        Add("reasoning_tokens", NpgsqlDbType.Bigint, u => u.Tokens.Reasoning);
        Add("book_version", NpgsqlDbType.Bigint, u => u.BookVersion);
        command.Parameters.AddWithValue("awaiting_charge", awaitingCharge);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString("usage_key");
            changed.Add(key);
            if (reader.GetBoolean("inserted"))
                inserted.Add(key);
        }
        return (inserted, changed);
    }

    /// <summary>
    /// A merge replaces whatever was known of the PR, except what a signed GitHub delivery recorded: GitHub's facts are
    /// the PR's own, so a canonical outcome (any CI key) cannot overwrite them. A close never overwrites a merge.
    /// </summary>
    public async Task UpsertPrAsync(
        OutcomeRecorded outcome,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        var merged = outcome.Kind == OutcomeKinds.PrMerged;
        var onConflict = merged
            ? $"""
                update set state = excluded.state, author = excluded.author, team = excluded.team, head_ref = excluded.head_ref,
                           title = excluded.title, closed_at = excluded.closed_at, shas = excluded.shas, session_ids = excluded.session_ids,
                           ai_assisted = excluded.ai_assisted, recorded_by = excluded.recorded_by,
                           lines_changed = excluded.lines_changed
                where not (p.recorded_by = '{GitHubSource}' and excluded.recorded_by <> '{GitHubSource}')
                """
            : "nothing";
        await using var command = new NpgsqlCommand(
            $"""
            insert into {T(OutcomeTables.Prs)} as p
              (pr_key, repo, number, state, author, team, head_ref, title, closed_at, shas, session_ids, ai_assisted, recorded_by, lines_changed)
            values (@key, @repo, @number, @state, @author, @team, @head, @title, @at, @shas, @sessions, @ai, @by, @lines)
            on conflict (pr_key) do {onConflict}
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("by", outcome.Source);
        command.Parameters.AddWithValue("key", PrKeyOf(outcome.Repo!, outcome.PrNumber!.Value));
        command.Parameters.AddWithValue("repo", outcome.Repo!.ToLowerInvariant());
        command.Parameters.AddWithValue("number", outcome.PrNumber.Value);
        command.Parameters.AddWithValue("state", merged ? "merged" : "closed");
        command.Parameters.Add(NullableText("author", outcome.User));
        command.Parameters.Add(NullableText("team", outcome.Team));
        command.Parameters.Add(NullableText("head", outcome.HeadRef));
        command.Parameters.Add(NullableText("title", outcome.Title));
        command.Parameters.AddWithValue("at", outcome.OccurredAt.UtcDateTime);
        command.Parameters.AddWithValue(
            "shas",
            new[] { outcome.Sha }
                .Concat(outcome.CommitShas)
                .OfType<string>()
                .Select(s => s.ToLowerInvariant())
                .Distinct()
                .ToArray()
        );
        command.Parameters.AddWithValue("sessions", outcome.SessionIds.ToArray());
        command.Parameters.AddWithValue("ai", outcome.AiAssisted ?? false);
        command.Parameters.Add(
            new NpgsqlParameter("lines", NpgsqlTypes.NpgsqlDbType.Integer)
            {
                Value = LinesChanged(outcome.LinesAdded, outcome.LinesDeleted) is { } lines ? lines : DBNull.Value,
            }
        );
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A PR's size: lines added plus lines deleted; unknown when the sender gave neither.</summary>
    public static int? LinesChanged(int? added, int? deleted) =>
        added is null && deleted is null ? null : (int)Math.Min((long)(added ?? 0) + (deleted ?? 0), int.MaxValue);

    public async Task InsertFailureAsync(
        OutcomeRecorded outcome,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            insert into {T(OutcomeTables.Failures)} (outcome_key, kind, repo, title, occurred_at, pr_numbers, shas)
            values (@key, @kind, @repo, @title, @at, @prs, @shas)
            on conflict do nothing
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("key", outcome.Key);
        command.Parameters.AddWithValue("kind", outcome.Kind);
        command.Parameters.Add(NullableText("repo", outcome.Repo?.ToLowerInvariant()));
        command.Parameters.Add(NullableText("title", outcome.Title));
        command.Parameters.AddWithValue("at", outcome.OccurredAt.UtcDateTime);
        command.Parameters.AddWithValue("prs", outcome.Links.PrNumbers.ToArray());
        command.Parameters.AddWithValue("shas", outcome.Links.Shas.Select(s => s.ToLowerInvariant()).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task InsertDeploymentAsync(
        OutcomeRecorded outcome,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            insert into {T(OutcomeTables.Deployments)} (outcome_key, repo, team, user_id, sha, environment, occurred_at)
            values (@key, @repo, @team, @user, @sha, @env, @at)
            on conflict do nothing
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("key", outcome.Key);
        command.Parameters.AddWithValue("repo", outcome.Repo!.ToLowerInvariant());
        command.Parameters.Add(NullableText("team", outcome.Team));
        command.Parameters.Add(NullableText("user", outcome.User));
        command.Parameters.Add(NullableText("sha", outcome.Sha));
        command.Parameters.Add(NullableText("env", outcome.Environment));
        command.Parameters.AddWithValue("at", outcome.OccurredAt.UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Sets usage rows' attribution from three text arrays (usage keys, PR keys, rules): named <c>@keys, @prs, @rules</c>
    /// for a command of our own, Marten's positional <c>?</c> when queued in the attribution daemon's transaction.
    /// </summary>
    public static string SetAttributionsSql(string schema, bool named = false)
    {
        string Array(string name) => (named ? "@" + name : "?") + "::text[]";
        return $"""
            update {schema}.{OutcomeTables.UsageFacts} f
            set attributed_pr = c.pr, rule = c.rule
            from unnest({Array("keys")}, {Array("prs")}, {Array("rules")}) as c(usage_key, pr, rule)
            where f.usage_key = c.usage_key
            """;
    }

    public async Task SetAttributionsAsync(
        IReadOnlyList<Observing.UsageAttribution> items,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            SetAttributionsSql(settings.Schema, named: true),
            connection,
            transaction
        );
        command.Parameters.AddWithValue("keys", items.Select(i => i.UsageKey).ToArray());
        command.Parameters.Add(
            new NpgsqlParameter("prs", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = items.Select(i => i.Pr).ToArray(),
            }
        );
        command.Parameters.Add(
            new NpgsqlParameter("rules", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = items.Select(i => i.Rule?.ToString()).ToArray(),
            }
        );
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task UpsertPersonAsync(
        UserDirectoryChanged change,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) => PeopleTable.UpsertAsync(settings.Schema, change, connection, transaction, ct);

    /// <summary>Each user's manager, and each team's: the manager most of its people report to (ties: the first by name).</summary>
    public async Task<(Dictionary<string, string> Users, Dictionary<string, string> Teams)> ManagersAsync(
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            select user_id, team, manager
            from {T(OutcomeTables.People)}
            where manager is not null
            """,
            connection
        );
        var rows = new List<(string User, string? Team, string Manager)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetString("user_id"), reader.GetStringOrNull("team"), reader.GetString("manager")));
        var teams = rows.Where(r => r.Team is not null)
            .GroupBy(r => r.Team!)
            .ToDictionary(g => g.Key, g => PeopleTable.TeamManager(g.Select(r => r.Manager))!);
        return (rows.ToDictionary(r => r.User, r => r.Manager), teams);
    }

    private static NpgsqlParameter NullableText(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
