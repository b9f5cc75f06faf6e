using System.Data;
using Npgsql;
using NpgsqlTypes;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Watching;

/// <summary>How a charged batch stands: not seen before, watched whole, or isolated (taken in one usage at a time).</summary>
public enum BatchClaim
{
    New,
    Watched,
    Isolated,
}

/// <summary>Writes what the watch rules read, inside the caller's transaction (the one that claims the messages).</summary>
public sealed class WatchWriter(TokenwiseSettings settings)
{
    private string T(string table) => $"{settings.Schema}.{table}";

    public static DateTime MinuteOf(DateTimeOffset at) =>
        new(at.UtcDateTime.Ticks - at.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    /// <summary>
    /// Claims a charged batch: <see cref="BatchClaim.New"/> when it was not watched before; otherwise whether it was
    /// watched whole or isolated (its usages taken in one by one, each claimed alone).
    /// </summary>
    public async Task<BatchClaim> ClaimBatchAsync(
        UsageChargedBatch batch,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            with claimed as (
              insert into {T(WatchTables.WatchedBatches)} (batch_id, items)
              values (@id, @items)
              on conflict do nothing
              returning items)
            select items, true as claimed
            from claimed
            union all
            select items, false
            from {T(WatchTables.WatchedBatches)}
            where batch_id = @id
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("id", batch.BatchId);
        command.Parameters.AddWithValue("items", batch.Items.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetBoolean("claimed"))
            return BatchClaim.New;
        return reader.GetInt32("items") == IsolatedMark ? BatchClaim.Isolated : BatchClaim.Watched;
    }

    /// <summary>Marks a batch as taken in one usage at a time (<see cref="IsolatedMark"/> in place of its item count).</summary>
    public async Task MarkIsolatedAsync(
        UsageChargedBatch batch,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) =>
        await ExecuteAsync(
            $"""
            insert into {T(WatchTables.WatchedBatches)} (batch_id, items)
            values (@id, {IsolatedMark})
            on conflict (batch_id) do update
            set items = {IsolatedMark}
            """,
            connection,
            transaction,
            ct,
            ("id", batch.BatchId)
        );

    public const int IsolatedMark = -1;

    public Task AddUsageAsync(
        IReadOnlyList<WatchedUsage> usage,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) => AddAsync(usage.Select(u => (u, u.CostUsd, 1)).ToList(), lanes: true, connection, transaction, ct);

    /// <summary>Re-priced usage: its minutes gain the difference between its new and previous cost (no new request).</summary>
    public Task CorrectCostsAsync(
        IReadOnlyList<UsageRepriced> corrections,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) =>
        AddAsync(
            corrections
                .Select(r => (WatchedUsage.Of(r.Charge), r.Charge.Cost.Total - r.PreviousCost.Total, 0))
                .ToList(),
            lanes: false,
            connection,
            transaction,
            ct
        );

    private async Task AddAsync(
        IReadOnlyList<(WatchedUsage Usage, decimal Cost, int Requests)> rows,
        bool lanes,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        var laned = lanes ? rows.Select(r => r.Usage).Where(u => u.Lane is not null).ToList() : [];
        if (laned.Count > 0)
            await ExecuteAsync(
                $"""
                insert into {T(WatchTables.LaneRequests)} (usage_key, user_id, at, lane, tokens)
                select *
                from unnest(@usage_key, @user_id, @at, @lane, @tokens)
                """,
                connection,
                transaction,
                ct,
                ("usage_key", laned.Select(u => u.UsageKey).ToArray()),
                ("user_id", laned.Select(u => u.User).ToArray()),
                ("at", laned.Select(u => u.OccurredAt.UtcDateTime).ToArray()),
                ("lane", laned.Select(u => u.Lane!).ToArray()),
                ("tokens", laned.Select(u => u.Tokens).ToArray())
            );

        // The per-minute rows are shared by every batch of the same users and sessions, so they are written last (their
        // locks are held only until the commit) and in key order (concurrent batches lock them in the same order).
        var spend = rows.SelectMany(r =>
                new[] { ("user", r.Usage.User) }
                    .Concat(r.Usage.Team is null ? [] : [("team", r.Usage.Team)])
                    .Select(s => (s.Item1, s.Item2, Minute: MinuteOf(r.Usage.OccurredAt), Total: r.Cost, r.Requests))
            )
            .GroupBy(s => (s.Item1, s.Item2, s.Minute))
            .Select(g => (g.Key, Cost: g.Sum(s => s.Total), Requests: g.Sum(s => s.Requests)))
            .OrderBy(s => s.Key.Item1, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Item2, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Minute)
            .ToList();
        await ExecuteAsync(
            $"""
            insert into {T(WatchTables.SpendMinutes)} as s (scope_type, scope_id, minute, cost, requests)
            select *
            from unnest(@scope_type, @scope_id, @minute, @cost, @requests)
            on conflict (scope_type, scope_id, minute) do update
            set cost = s.cost + excluded.cost, requests = s.requests + excluded.requests
            """,
            connection,
            transaction,
            ct,
            ("scope_type", spend.Select(s => s.Key.Item1).ToArray()),
            ("scope_id", spend.Select(s => s.Key.Item2).ToArray()),
            ("minute", spend.Select(s => s.Key.Minute).ToArray()),
            ("cost", spend.Select(s => s.Cost).ToArray()),
            ("requests", spend.Select(s => s.Requests).ToArray())
        );

        var sessions = rows.Where(r => r.Usage.SessionId is not null)
            .GroupBy(r => (Session: r.Usage.SessionId!, Minute: MinuteOf(r.Usage.OccurredAt)))
            .Select(g =>
                (
                    g.Key,
                    User: g.First().Usage.User,
                    Tool: g.First().Usage.Tool,
                    Requests: g.Sum(r => r.Requests),
                    Cost: g.Sum(r => r.Cost)
                )
            )
            .OrderBy(s => s.Key.Session, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Minute)
            .ToList();
        await ExecuteAsync(
            $"""
            insert into {T(WatchTables.SessionMinutes)} as s (session_id, minute, user_id, tool, requests, cost)
            select *
            from unnest(@session_id, @minute, @user_id, @tool, @requests, @cost)
            on conflict (session_id, minute) do update
            set requests = s.requests + excluded.requests, cost = s.cost + excluded.cost
            """,
            connection,
            transaction,
            ct,
            ("session_id", sessions.Select(s => s.Key.Session).ToArray()),
            ("minute", sessions.Select(s => s.Key.Minute).ToArray()),
            ("user_id", sessions.Select(s => s.User).ToArray()),
            ("tool", sessions.Select(s => s.Tool).ToArray()),
            ("requests", sessions.Select(s => s.Requests).ToArray()),
            ("cost", sessions.Select(s => s.Cost).ToArray())
        );
    }

    public async Task AddPromptAsync(
        ActivityRecorded prompt,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        if (prompt.SessionId is not null)
            await ExecuteAsync(
                $"""
                insert into {T(WatchTables.Prompts)} as p (session_id, last_prompt_at)
                values (@session_id, @at)
                on conflict (session_id) do update
                set last_prompt_at = greatest(p.last_prompt_at, excluded.last_prompt_at)
                """,
                connection,
                transaction,
                ct,
                ("session_id", prompt.SessionId),
                ("at", prompt.OccurredAt.UtcDateTime)
            );
        if (prompt.Tool is not null)
            await ExecuteAsync(
                $"""
                insert into {T(WatchTables.PromptingTools)} (tool)
                values (@tool)
                on conflict do nothing
                """,
                connection,
                transaction,
                ct,
                ("tool", prompt.Tool)
            );
    }

    /// <summary>Remembers a model without a price (once; the first sighting's time stays).</summary>
    public Task AddUnpricedAsync(
        UnpricedModelSeen seen,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) =>
        ExecuteAsync(
            $"""
            insert into {T(WatchTables.UnpricedModels)} (model, first_seen_at)
            values (@model, @at)
            on conflict do nothing
            """,
            connection,
            transaction,
            ct,
            ("model", $"{seen.Provider}/{seen.Model}"),
            ("at", seen.FirstSeenAt.UtcDateTime)
        );

    public Task SetPersonAsync(
        UserDirectoryChanged change,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) => PeopleTable.UpsertAsync(settings.Schema, change, connection, transaction, ct);

    private static async Task ExecuteAsync(
        string sql,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct,
        params (string Name, object? Value)[] parameters
    )
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.Add(
                value switch
                {
                    null => new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = DBNull.Value },
                    string?[] texts => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text)
                    {
                        Value = texts,
                    },
                    _ => new NpgsqlParameter(name, value),
                }
            );
        await command.ExecuteNonQueryAsync(ct);
    }
}
