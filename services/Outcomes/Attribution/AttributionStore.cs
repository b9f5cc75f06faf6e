using Npgsql;
using Tokenwise.Outcomes.Ledger;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Outcomes.Attribution;

/// <summary>A usage event as stored, with its current attribution.</summary>
public sealed record StoredUsage(UsageFacts Facts, string? AttributedPr, string? Rule);

/// <summary>Loads what <see cref="AttributionRules"/> needs from Outcomes' tables.</summary>
public sealed class AttributionStore(TokenwiseSettings settings)
{
    public const int MaxSessionUsage = 5000;
    private string T(string table) => $"{settings.Schema}.{table}";
    private const string UsageColumns = "usage_key, user_id, occurred_at, repo, branch, pr_number, commit_sha, session_id, attributed_pr, rule";

    public async Task<List<StoredUsage>> UsageAsync(string where, Action<NpgsqlParameterCollection> parameters, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {UsageColumns} from {T(OutcomeTables.UsageFacts)} where {where} limit {MaxSessionUsage}", connection);
        parameters(command.Parameters);
        var rows = new List<StoredUsage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(new StoredUsage(new UsageFacts(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), Text(3), Text(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), Text(6), Text(7)), Text(8), Text(9)));
        }
        return rows;
    }

    /// <summary>Merged PRs that could claim this usage: ones it names, its author's merges in the window, and ones its session names.</summary>
    public async Task<List<MergedPr>> CandidatesAsync(UsageFacts usage, IReadOnlyCollection<UsageFacts> session, TimeSpan window,
        NpgsqlConnection connection, CancellationToken ct)
    {
        var named = session.Append(usage).ToList();
        await using var command = new NpgsqlCommand(
            $"select pr_key, repo, number, author, closed_at, head_ref, shas, session_ids from {T(OutcomeTables.Prs)} where state = 'merged' and (" +
            "(repo, number) in (select * from unnest(@repos, @numbers)) or head_ref = any(@branches) or session_ids && @sessions " +
            "or exists (select 1 from unnest(shas) own, unnest(@shas) sha where length(sha) >= 7 and (own like sha || '%' or sha like own || '%')) " +
            "or (lower(author) = lower(@user) and (@repo::text is null or repo = @repo) and closed_at >= @at and closed_at <= @until))", connection);
        var withPr = named.Where(u => u.Repo is not null && u.PrNumber is not null).ToList();
        command.Parameters.AddWithValue("repos", withPr.Select(u => u.Repo!).ToArray());
        command.Parameters.AddWithValue("numbers", withPr.Select(u => u.PrNumber!.Value).ToArray());
        command.Parameters.AddWithValue("branches", named.Select(u => u.Branch).OfType<string>().Distinct().ToArray());
        command.Parameters.AddWithValue("sessions", named.Select(u => u.SessionId).OfType<string>().Distinct().ToArray());
        command.Parameters.AddWithValue("shas", named.Select(u => u.CommitSha).OfType<string>().Distinct().ToArray());
        command.Parameters.AddWithValue("user", usage.User);
        command.Parameters.Add(new NpgsqlParameter("repo", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)usage.Repo ?? DBNull.Value });
        command.Parameters.AddWithValue("at", usage.OccurredAt.UtcDateTime);
        command.Parameters.AddWithValue("until", (usage.OccurredAt + window).UtcDateTime);
        var prs = new List<MergedPr>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            prs.Add(new MergedPr(new PrKey(reader.GetString(1), reader.GetInt32(2)), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<string[]>(6).ToHashSet(), reader.GetFieldValue<string[]>(7).ToHashSet()));
        return prs;
    }

    public async Task<MergedPr?> MergedPrAsync(string prKey, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select repo, number, author, closed_at, head_ref, shas, session_ids from {T(OutcomeTables.Prs)} where pr_key = @key and state = 'merged'", connection);
        command.Parameters.AddWithValue("key", prKey);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new MergedPr(new PrKey(reader.GetString(0), reader.GetInt32(1)), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<string[]>(5).ToHashSet(), reader.GetFieldValue<string[]>(6).ToHashSet());
    }

    /// <summary>Usage a newly merged PR could claim: usage naming it, its author's usage in the window, and their sessions.</summary>
    public Task<List<StoredUsage>> ClaimableByAsync(MergedPr pr, TimeSpan window, NpgsqlConnection connection, CancellationToken ct) =>
        UsageAsync(
            "(repo = @repo and pr_number = @n) or branch = @head or session_id = any(@sessions) " +
            "or exists (select 1 from unnest(@shas) own where length(commit_sha) >= 7 and (own like commit_sha || '%' or commit_sha like own || '%')) " +
            "or (lower(user_id) = lower(@author) and (repo is null or repo = @repo) and occurred_at >= @from and occurred_at <= @merged)",
            p =>
            {
                p.AddWithValue("repo", pr.Key.Repo);
                p.AddWithValue("n", pr.Key.Number);
                p.Add(new NpgsqlParameter("head", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)pr.HeadRef ?? DBNull.Value });
                p.AddWithValue("sessions", pr.SessionIds.ToArray());
                p.AddWithValue("shas", pr.CommitShas.ToArray());
                p.Add(new NpgsqlParameter("author", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)pr.Author ?? DBNull.Value });
                p.AddWithValue("from", (pr.MergedAt - window).UtcDateTime);
                p.AddWithValue("merged", pr.MergedAt.UtcDateTime);
            }, connection, ct);
}
