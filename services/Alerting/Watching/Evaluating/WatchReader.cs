using System.Data;
using Npgsql;
using NpgsqlTypes;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Alerting.Watching;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Watching.Evaluating;

/// <summary>Reads what the burn-rate, runaway and ping-pong rules need, a few queries for all subjects at once.</summary>
public sealed class WatchReader(TokenwiseSettings settings)
{
    private string T(string table) => $"{settings.Schema}.{table}";

    private string ManagerOf(string scopeType, string scopeId) =>
        $"case when {scopeType} = 'user' then {PeopleTable.UserManagerSql(settings.Schema, scopeId)} else {PeopleTable.TeamManagerSql(settings.Schema, scopeId)} end";

    /// <summary>
    /// Per subject, what the burn-rate rule reads from closed hours: the baseline and today's spend before the current
    /// hour. Read once an hour (14 days of minutes for every active subject every 5 s took 1.3–2 s at three million
    /// events), so spend that arrives late for a closed hour counts from the next hour on.
    /// </summary>
    private sealed record ClosedHours(
        DateTime Hour,
        DateTime BaselineFrom,
        IReadOnlyDictionary<AlertScope, (decimal Baseline, decimal TodayBefore)> Sums
    );

    private ClosedHours? _closedHours;

    /// <summary>Subjects that spent in the last hour, plus the ones given (open alerts, to see them clear).</summary>
    public async Task<List<SpendWindow>> SpendWindowsAsync(
        NpgsqlConnection connection,
        DateTimeOffset now,
        BurnRateRule rule,
        IReadOnlyCollection<AlertScope> alsoScopes,
        CancellationToken ct
    )
    {
        var hourAgo = WatchWriter.MinuteOf(now.AddHours(-1));
        var baseline = BurnRate.BaselineHours(hourAgo, rule);
        // The current hour starts an hour after the baseline ends; today's minutes before it are read with the baseline.
        var hour = baseline.To.AddHours(1);
        var closed = _closedHours;
        if (closed is null || closed.Hour != hour || closed.BaselineFrom != baseline.From)
            _closedHours = closed = await ReadClosedHoursAsync(connection, hour, baseline, now.UtcDateTime.Date, ct);

        await using var command = new NpgsqlCommand(
            $"""
            with active as (
              select distinct scope_type, scope_id
              from {T(WatchTables.SpendMinutes)}
              where minute > @hour_ago
              union
              select * from unnest(@types, @ids))
            select a.scope_type, a.scope_id,
                   coalesce(sum(s.cost), 0) as last_hour,
                   coalesce(sum(s.cost) filter (where s.minute >= @hour), 0) as this_hour,
                   {ManagerOf("a.scope_type", "a.scope_id")} as manager
            from active a
            left join {T(WatchTables.SpendMinutes)} s
              on s.scope_type = a.scope_type and s.scope_id = a.scope_id and s.minute > @hour_ago
            group by a.scope_type, a.scope_id
            """,
            connection
        );
        command.Parameters.AddWithValue("hour_ago", hourAgo);
        command.Parameters.AddWithValue("hour", hour);
        command.Parameters.AddWithValue("types", alsoScopes.Select(s => s.Type).ToArray());
        command.Parameters.AddWithValue("ids", alsoScopes.Select(s => s.Id).ToArray());
        var windows = new List<SpendWindow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var scope = new AlertScope(reader.GetString("scope_type"), reader.GetString("scope_id"));
            var (baselineCost, todayBefore) = closed.Sums.GetValueOrDefault(scope);
            windows.Add(
                new SpendWindow(
                    scope,
                    reader.GetDecimal("last_hour"),
                    baselineCost / (rule.BaselineDays * 24m),
                    todayBefore + reader.GetDecimal("this_hour"),
                    reader.GetStringOrNull("manager")
                )
            );
        }
        return windows;
    }

    private async Task<ClosedHours> ReadClosedHoursAsync(
        NpgsqlConnection connection,
        DateTime hour,
        (DateTime From, DateTime To) baseline,
        DateTime midnight,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            select scope_type, scope_id,
                   coalesce(sum(cost) filter (where minute >= @baseline_from and minute < @baseline_to), 0) as baseline,
                   coalesce(sum(cost) filter (where minute >= @midnight), 0) as today_before
            from {T(WatchTables.SpendMinutes)}
            where minute >= least(@baseline_from, @midnight) and minute < @hour
            group by scope_type, scope_id
            """,
            connection
        );
        command.Parameters.AddWithValue("baseline_from", baseline.From);
        command.Parameters.AddWithValue("baseline_to", baseline.To);
        command.Parameters.AddWithValue("midnight", midnight);
        command.Parameters.AddWithValue("hour", hour);
        var sums = new Dictionary<AlertScope, (decimal, decimal)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            sums[new AlertScope(reader.GetString("scope_type"), reader.GetString("scope_id"))] = (
                reader.GetDecimal("baseline"),
                reader.GetDecimal("today_before")
            );
        return new ClosedHours(hour, baseline.From, sums);
    }

    /// <summary>Sessions active in the last minutes, plus the ones given, with M + 1 minutes of request counts.</summary>
    public async Task<List<SessionActivity>> SessionsAsync(
        NpgsqlConnection connection,
        DateTimeOffset now,
        RunawayRule rule,
        IReadOnlyCollection<string> alsoSessions,
        CancellationToken ct
    )
    {
        var current = WatchWriter.MinuteOf(now);
        var recentFrom = current.AddMinutes(-rule.Minutes);
        await using var command = new NpgsqlCommand(
            $$"""
            with active as (
              select distinct session_id
              from {{T(WatchTables.SessionMinutes)}}
              where minute >= @active
              union
              select unnest(@also))
            select m.session_id, min(m.user_id) as user_id, min(m.tool) as tool, sum(m.cost) as cost,
                   min(m.minute) as first_minute, max(m.minute) as last_minute,
                   coalesce(array_agg(m.minute) filter (where m.minute >= @recent), '{}') as recent_minutes,
                   coalesce(array_agg(m.requests) filter (where m.minute >= @recent), '{}') as recent_requests,
                   (select last_prompt_at from {{T(
                WatchTables.Prompts
            )}} p where p.session_id = m.session_id) as last_prompt_at,
                   exists (select 1 from {{T(
                WatchTables.PromptingTools
            )}} t where t.tool = min(m.tool)) as tool_sends_prompts,
                   {{PeopleTable.UserManagerSql(settings.Schema, "min(m.user_id)")}} as manager
            from {{T(WatchTables.SessionMinutes)}} m
            join active a on a.session_id = m.session_id
            group by m.session_id
            """,
            connection
        );
        command.Parameters.AddWithValue("active", current.AddMinutes(-Math.Max(rule.Minutes, rule.QuietMinutes) - 1));
        command.Parameters.AddWithValue("recent", recentFrom);
        command.Parameters.AddWithValue("also", alsoSessions.ToArray());
        var sessions = new List<SessionActivity>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var minutes = reader.GetFieldValue<DateTime[]>("recent_minutes");
            var requests = reader.GetFieldValue<int[]>("recent_requests");
            var perMinute = Enumerable
                .Range(0, rule.Minutes + 1)
                .Select(i =>
                {
                    var index = Array.IndexOf(minutes, recentFrom.AddMinutes(i));
                    return index < 0 ? 0 : requests[index];
                })
                .ToList();
            sessions.Add(
                new SessionActivity(
                    reader.GetString("session_id"),
                    reader.GetString("user_id"),
                    perMinute,
                    reader.GetDecimal("cost"),
                    reader.GetFieldValue<DateTimeOffset>("first_minute"),
                    reader.GetFieldValue<DateTimeOffset>("last_minute").AddMinutes(1),
                    reader.GetValueOrNull<DateTimeOffset>("last_prompt_at"),
                    reader.GetBoolean("tool_sends_prompts"),
                    reader.GetStringOrNull("manager")
                )
            );
        }
        return sessions;
    }

    /// <summary>
    /// Each user with at least the rule's number of requests in its window: their latest that many requests (all the
    /// rule looks at), oldest first, and their manager. Busy users are found from requests per minute, so an
    /// evaluation reads a few rows per user instead of every request of the window (at 10,000 requests a second,
    /// eighteen million every five seconds).
    /// </summary>
    public async Task<List<(string User, string? Manager, List<LaneRequest> Requests)>> LanesAsync(
        NpgsqlConnection connection,
        DateTimeOffset now,
        TokenBurnRule rule,
        CancellationToken ct
    )
    {
        var from = WindowStart(now, rule);
        // The window's first minute counts whole, so "busy" includes every user the exact window would.
        await using var command = new NpgsqlCommand(
            $"""
            with busy as (
              select scope_id as user_id
              from {T(WatchTables.SpendMinutes)}
              where scope_type = 'user' and minute >= @fromMinute
              group by scope_id
              having sum(requests) >= @n)
            select b.user_id, l.at, l.lane, l.tokens, {PeopleTable.UserManagerSql(
                settings.Schema,
                "b.user_id"
            )} as manager
            from busy b
            cross join lateral (
              select at, lane, tokens, usage_key
              from {T(WatchTables.LaneRequests)} r
              where r.user_id = b.user_id and r.at >= @from
              order by r.at desc, r.usage_key desc
              limit @n) l
            order by b.user_id, l.at, l.usage_key
            """,
            connection
        );
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("fromMinute", WatchWriter.MinuteOf(from));
        command.Parameters.AddWithValue("n", (long)rule.Requests);
        var rows = new List<(string User, string? Manager, LaneRequest Request)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(
                (
                    reader.GetString("user_id"),
                    reader.GetStringOrNull("manager"),
                    new LaneRequest(
                        reader.GetFieldValue<DateTimeOffset>("at"),
                        reader.GetString("lane"),
                        reader.GetInt64("tokens")
                    )
                )
            );
        return rows.GroupBy(r => r.User)
            .Select(g => (g.Key, g.First().Manager, g.Select(r => r.Request).ToList()))
            .ToList();
    }

    private static DateTime WindowStart(DateTimeOffset now, TokenBurnRule rule) =>
        now.AddMinutes(-rule.WindowMinutes).UtcDateTime;

    /// <summary>How many requests each of these users made in the rule's window (only users it caught: it reads them all).</summary>
    public async Task<Dictionary<string, int>> LaneRequestCountsAsync(
        NpgsqlConnection connection,
        DateTimeOffset now,
        TokenBurnRule rule,
        IReadOnlyCollection<string> users,
        CancellationToken ct
    )
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (users.Count == 0)
            return counts;
        await using var command = new NpgsqlCommand(
            $"""
            select user_id, count(*)::int as requests
            from {T(WatchTables.LaneRequests)}
            where user_id = any(@users) and at >= @from
            group by user_id
            """,
            connection
        );
        command.Parameters.AddWithValue("users", users.ToArray());
        command.Parameters.AddWithValue("from", WindowStart(now, rule));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts[reader.GetString("user_id")] = reader.GetInt32("requests");
        return counts;
    }

    /// <summary>Forgets what no rule looks at any more.</summary>
    public async Task PruneAsync(
        NpgsqlConnection connection,
        DateTimeOffset now,
        RuleSettings rules,
        CancellationToken ct
    )
    {
        // A session is kept whole while it is active (its cost and start count); one quiet for a day is forgotten.
        await using var command = new NpgsqlCommand(
            $"""
            delete from {T(WatchTables.LaneRequests)}
            where at < @lanes;

            delete from {T(WatchTables.SpendMinutes)}
            where minute < @spend;

            delete from {T(WatchTables.SessionMinutes)} m
            where m.minute < @quiet
              and not exists (
                select 1
                from {T(WatchTables.SessionMinutes)} r
                where r.session_id = m.session_id and r.minute >= @quiet)
            """,
            connection
        );
        command.Parameters.AddWithValue("lanes", now.AddMinutes(-rules.TokenBurn.WindowMinutes * 2).UtcDateTime);
        command.Parameters.AddWithValue("spend", now.AddDays(-rules.BurnRate.BaselineDays - 2).UtcDateTime);
        command.Parameters.AddWithValue("quiet", now.AddDays(-1).UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Models first seen without a price after <paramref name="since"/>: their count and the first few by name.</summary>
    public async Task<UnpricedSighting> UnpricedAsync(
        NpgsqlConnection connection,
        DateTimeOffset since,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"""
            select count(*)::int as models,
                   coalesce((select array_agg(model order by first_seen_at, model)
                             from (select model, first_seen_at from {T(WatchTables.UnpricedModels)}
                                   where first_seen_at > @since order by first_seen_at, model limit @listed) first), array[]::text[])
                     as first_models
            from {T(WatchTables.UnpricedModels)}
            where first_seen_at > @since
            """,
            connection
        );
        command.Parameters.AddWithValue(
            "since",
            since == DateTimeOffset.MinValue ? DateTime.MinValue.ToUniversalTime() : since.UtcDateTime
        );
        command.Parameters.AddWithValue("listed", UnpricedModels.Listed);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new UnpricedSighting(reader.GetInt32("models"), reader.GetFieldValue<string[]>("first_models"));
    }
}
