using System.Data;
using Npgsql;
using NpgsqlTypes;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Attribution;

/// <summary>A usage event as stored, with its current attribution.</summary>
public sealed record StoredUsage(UsageFacts Facts, string? AttributedPr, string? Rule);

/// <summary>Loads what <see cref="AttributionRules"/> needs from Outcomes' tables, a whole page of usage per query.</summary>
public sealed class AttributionStore(TokenwiseSettings settings)
{
    private string T(string table) => $"{settings.Schema}.{table}";

    private const string UsageColumns =
        "usage_key, user_id, occurred_at, repo, branch, pr_number, commit_sha, session_id, attributed_pr, rule";
    private const string PrColumns = "repo, number, author, closed_at, head_ref, shas, session_ids";

    public Task<List<StoredUsage>> UsageByKeysAsync(
        IReadOnlyCollection<string> keys,
        NpgsqlConnection connection,
        CancellationToken ct
    ) =>
        // A join on the keys, so a page's thousand keys are a thousand index lookups, never a scan of the table.
        UsageAsync("usage_key in (select unnest(@keys))", p => p.AddWithValue("keys", keys.ToArray()), connection, ct);

    /// <summary>Every usage event of these sessions except the ones given.</summary>
    public Task<List<StoredUsage>> SessionUsageAsync(
        IReadOnlyCollection<string> sessions,
        IReadOnlyCollection<string> except,
        NpgsqlConnection connection,
        CancellationToken ct
    ) =>
        UsageAsync(
            "session_id = any(@sessions) and usage_key <> all(@except)",
            p =>
            {
                p.AddWithValue("sessions", sessions.ToArray());
                p.AddWithValue("except", except.ToArray());
            },
            connection,
            ct
        );

    /// <summary>Per session, how many of its usage events went to each PR by the explicit rule: what the session rule follows.</summary>
    public async Task<Dictionary<string, Dictionary<PrKey, int>>> ExplicitSessionCountsAsync(
        IReadOnlyCollection<string> sessions,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        var result = sessions.ToDictionary(s => s, _ => new Dictionary<PrKey, int>(), StringComparer.Ordinal);
        if (sessions.Count == 0)
            return result;
        await using var command = new NpgsqlCommand(
            $"""
            select session_id, attributed_pr, count(*)::int as requests
            from {T(OutcomeTables.UsageFacts)}
            where session_id = any(@sessions) and rule = 'Explicit'
            group by session_id, attributed_pr
            """,
            connection
        );
        command.Parameters.AddWithValue("sessions", sessions.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (PrKey.TryParse(reader.GetString("attributed_pr")) is { } pr)
                result[reader.GetString("session_id")][pr] = reader.GetInt32("requests");
        return result;
    }

    /// <summary>
    /// Merged PRs that could claim any of this usage: ones it names (by number, branch, commit or session), the given
    /// PRs, and its users' merges in the window after it. A superset: <see cref="AttributionRules"/> picks per event.
    /// </summary>
    public async Task<List<MergedPr>> CandidatesAsync(
        IReadOnlyCollection<UsageFacts> usage,
        IEnumerable<PrKey> alsoPrs,
        TimeSpan window,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        if (usage.Count == 0)
            return [];
        await using var command = new NpgsqlCommand(
            $"""
            select {PrColumns}
            from {T(OutcomeTables.Prs)}
            where state = 'merged'
              and (pr_key = any(@keys)
                or head_ref = any(@branches)
                or session_ids && @sessions
                or exists (select 1 from unnest(shas) own, unnest(@shas) sha where own like sha || '%' or sha like own || '%')
                or exists (
                  select 1
                  from unnest(@users, @froms, @untils) w(user_id, window_from, window_until)
                  where lower(author) = w.user_id and closed_at >= w.window_from and closed_at <= w.window_until))
            """,
            connection
        );
        var keys = usage
            .Where(u => u.Repo is not null && u.PrNumber is not null)
            .Select(u => OutcomeStore.PrKeyOf(u.Repo!, u.PrNumber!.Value))
            .Concat(alsoPrs.Select(pr => OutcomeStore.PrKeyOf(pr.Repo, pr.Number)));
        command.Parameters.AddWithValue("keys", keys.Distinct().ToArray());
        command.Parameters.AddWithValue("branches", usage.Select(u => u.Branch).OfType<string>().Distinct().ToArray());
        command.Parameters.AddWithValue(
            "sessions",
            usage.Select(u => u.SessionId).OfType<string>().Distinct().ToArray()
        );
        command.Parameters.AddWithValue(
            "shas",
            usage
                .Select(u => u.CommitSha?.ToLowerInvariant())
                .OfType<string>()
                .Where(s => s.Length >= OutcomeTables.ShortShaLength)
                .Distinct()
                .ToArray()
        );
        var windows = usage.GroupBy(u => u.User.ToLowerInvariant()).ToList();
        command.Parameters.AddWithValue("users", windows.Select(w => w.Key).ToArray());
        command.Parameters.Add(
            new NpgsqlParameter("froms", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = windows.Select(w => w.Min(u => u.OccurredAt).UtcDateTime).ToArray(),
            }
        );
        command.Parameters.Add(
            new NpgsqlParameter("untils", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = windows.Select(w => (w.Max(u => u.OccurredAt) + window).UtcDateTime).ToArray(),
            }
        );
        return await ReadPrsAsync(command, ct);
    }

    public async Task<List<MergedPr>> MergedPrsAsync(
        IReadOnlyCollection<string> prKeys,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        if (prKeys.Count == 0)
            return [];
        await using var command = new NpgsqlCommand(
            $"""
            select {PrColumns}
            from {T(OutcomeTables.Prs)}
            where pr_key = any(@keys) and state = 'merged'
            """,
            connection
        );
        command.Parameters.AddWithValue("keys", prKeys.ToArray());
        return await ReadPrsAsync(command, ct);
    }

    /// <summary>
    /// The keys of the usage a newly merged PR could claim: usage naming it (number, branch, commit, session), and its
    /// author's usage in the window before the merge. One indexed branch per way of naming it, so a merge costs a few
    /// index lookups whatever the size of the table (an OR across them would read all of it for every merge).
    /// </summary>
    public async Task<List<string>> ClaimableByAsync(
        MergedPr pr,
        TimeSpan window,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        var usage = T(OutcomeTables.UsageFacts);
        await using var command = new NpgsqlCommand(
            $"""
            select usage_key from {usage} where repo = @repo and pr_number = @number
            union
            select usage_key from {usage} where branch = @head
            union
            select usage_key from {usage} where session_id = any(@sessions)
            union
            select usage_key from {usage}
            where {OutcomeTables.ShortSha("commit_sha")} = any(@shortShas)
              and exists (
                select 1 from unnest(@shas) own where own like lower(commit_sha) || '%' or lower(commit_sha) like own || '%')
            union
            select usage_key from {usage}
            where lower(user_id) = lower(@author) and occurred_at >= @from and occurred_at <= @merged
              and (repo is null or repo = @repo)
            """,
            connection
        );
        command.Parameters.AddWithValue("repo", pr.Key.Repo);
        command.Parameters.AddWithValue("number", pr.Key.Number);
        command.Parameters.Add(
            new NpgsqlParameter("head", NpgsqlDbType.Text) { Value = (object?)pr.HeadRef ?? DBNull.Value }
        );
        command.Parameters.AddWithValue("sessions", pr.SessionIds.ToArray());
        var shas = pr.CommitShas.Select(s => s.ToLowerInvariant()).Distinct().ToArray();
        command.Parameters.AddWithValue("shas", shas);
        command.Parameters.AddWithValue(
            "shortShas",
            shas.Where(s => s.Length >= OutcomeTables.ShortShaLength)
                .Select(s => s[..OutcomeTables.ShortShaLength])
                .Distinct()
                .ToArray()
        );
        command.Parameters.Add(
            new NpgsqlParameter("author", NpgsqlDbType.Text) { Value = (object?)pr.Author ?? DBNull.Value }
        );
        command.Parameters.AddWithValue("from", (pr.MergedAt - window).UtcDateTime);
        command.Parameters.AddWithValue("merged", pr.MergedAt.UtcDateTime);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            keys.Add(reader.GetString(0));
        return keys;
    }

    private async Task<List<StoredUsage>> UsageAsync(
        string where,
        Action<NpgsqlParameterCollection> parameters,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            select {UsageColumns}
            from {T(OutcomeTables.UsageFacts)}
            where {where}
            """,
            connection
        );
        parameters(command.Parameters);
        var rows = new List<StoredUsage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var facts = new UsageFacts(
                reader.GetString("usage_key"),
                reader.GetString("user_id"),
                reader.GetFieldValue<DateTimeOffset>("occurred_at"),
                reader.GetStringOrNull("repo"),
                reader.GetStringOrNull("branch"),
                reader.GetValueOrNull<int>("pr_number"),
                reader.GetStringOrNull("commit_sha"),
                reader.GetStringOrNull("session_id")
            );
            rows.Add(new StoredUsage(facts, reader.GetStringOrNull("attributed_pr"), reader.GetStringOrNull("rule")));
        }
        return rows;
    }

    private static async Task<List<MergedPr>> ReadPrsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var prs = new List<MergedPr>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            prs.Add(
                new MergedPr(
                    new PrKey(reader.GetString("repo"), reader.GetInt32("number")),
                    reader.GetStringOrNull("author"),
                    reader.GetFieldValue<DateTimeOffset>("closed_at"),
                    reader.GetStringOrNull("head_ref"),
                    reader.GetFieldValue<string[]>("shas").ToHashSet(),
                    reader.GetFieldValue<string[]>("session_ids").ToHashSet()
                )
            );
        return prs;
    }
}
