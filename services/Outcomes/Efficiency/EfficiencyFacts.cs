using System.Data;
using Npgsql;
using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Quality;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Outcomes.Efficiency;

/// <summary>A PR merged in the range, with what its attributed usage cost and its size (lines changed, when known).</summary>
public sealed record MergedPrCost(MergedChange Change, string? Author, decimal CostUsd, bool Failed)
{
    public string? Title { get; init; }
    public DateTimeOffset MergedAt { get; init; }
    public int? LinesChanged { get; init; }
}

/// <summary>Everything the efficiency and value-board views are computed from, for one time range.</summary>
public sealed record EfficiencyFacts(
    IReadOnlyList<MergedPrCost> Merged,
    IReadOnlyList<(string? User, string? Team, string? Repo, decimal Cost, bool Attributed)> Spend,
    IReadOnlyList<(string Repo, string? Team, string? User)> Deployments,
    IReadOnlyList<Failure> Incidents
)
{
    /// <summary>
    /// What a limited reader may see: PRs their people wrote or their teams own (with what was spent on them), their
    /// people's spend and deployments. Incidents count only through the PRs they name.
    /// </summary>
    public EfficiencyFacts Within(ReaderScope scope) =>
        scope.All
            ? this
            : new(
                Merged.Where(pr => scope.MaySee(pr.Author, pr.Change.Team)).ToList(),
                Spend.Where(s => scope.MaySee(s.User, s.Team)).ToList(),
                Deployments.Where(d => scope.MaySee(d.User, d.Team)).ToList(),
                Incidents
            );
}

/// <summary>
/// Reads <see cref="EfficiencyFacts"/> with a handful of grouped queries: PR costs and spend from the daily tables
/// (<see cref="UsageDailyTable"/>), part-days at a range's ends from the facts.
/// </summary>
public sealed class EfficiencyFactsReader(TokenwiseSettings settings)
{
    private string T(string table) => $"{settings.Schema}.{table}";

    public async Task<EfficiencyFacts> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        // A failure before the range cannot be caused by a PR merged in it; later ones can, however late.
        var failures = new List<Failure>();
        await foreach (
            var r in Rows(
                connection,
                $"""
                select kind, repo, pr_numbers, shas
                from {T(OutcomeTables.Failures)}
                where occurred_at >= @from
                """,
                from,
                to,
                ct
            )
        )
            failures.Add(
                new Failure(
                    r.GetString("kind"),
                    r.GetStringOrNull("repo"),
                    r.GetFieldValue<int[]>("pr_numbers"),
                    r.GetFieldValue<string[]>("shas")
                )
            );

        var prs =
            new List<(
                MergedChange Change,
                string? Author,
                decimal Cost,
                string? Title,
                DateTimeOffset At,
                int? Lines
            )>();
        await foreach (
            var r in Rows(
                connection,
                $"""
                select p.repo, p.number, p.team, p.shas, p.author, p.title, p.closed_at, p.lines_changed,
                       {AiAssisted.Sql("p.ai_assisted", "u.rule")} as ai_assisted,
                       coalesce(sum(u.cost), 0) as cost
                from {T(OutcomeTables.Prs)} p
                left join {T(OutcomeTables.UsageDaily)} u on u.attributed_pr = p.pr_key
                where p.state = 'merged' and p.closed_at >= @from and p.closed_at < @to
                group by p.pr_key
                """,
                from,
                to,
                ct
            )
        )
        {
            var change = new MergedChange(
                new PrKey(r.GetString("repo"), r.GetInt32("number")),
                r.GetStringOrNull("team"),
                r.GetBoolean("ai_assisted"),
                r.GetFieldValue<string[]>("shas").ToHashSet()
            );
            prs.Add(
                (
                    change,
                    r.GetStringOrNull("author"),
                    r.GetDecimal("cost"),
                    r.GetStringOrNull("title"),
                    r.GetFieldValue<DateTimeOffset>("closed_at"),
                    r.GetValueOrNull<int>("lines_changed")
                )
            );
        }
        var failed = ChangeFailures.FailedPrs(prs.Select(p => p.Change).ToList(), failures);

        var spend = new List<(string?, string?, string?, decimal, bool)>();
        var days = WholeDays(from, to);
        // Only part-days are read from the facts: asking the block-range index for an empty range still reads every
        // block whose range overlaps it, which for usage that arrived out of time order was half the table (1.6 s
        // at three million events, for the whole-day ranges the endpoints ask).
        var partDays = HasPartDays(from, to)
            ? $"""
                  union all
                  select user_id, team, repo, cost, attributed_pr is not null
                  from {T(OutcomeTables.UsageFacts)}
                  where (occurred_at >= @from and occurred_at < @whole_from)
                     or (occurred_at >= @whole_to and occurred_at < @to)
                """
            : "";
        await foreach (
            var r in Rows(
                connection,
                $"""
                select user_id, team, repo, sum(cost) as cost, attributed
                from (
                  select user_id, nullif(team, '') as team, nullif(repo, '') as repo, cost, attributed
                  from {T(OutcomeTables.UsageDailyByPerson)}
                  where day >= @first_day and day < @end_day
                {partDays}
                ) as spend
                group by user_id, team, repo, attributed
                """,
                from,
                to,
                ct,
                days
            )
        )
            spend.Add(
                (
                    r.GetString("user_id"),
                    r.GetStringOrNull("team"),
                    r.GetStringOrNull("repo"),
                    r.GetDecimal("cost"),
                    r.GetBoolean("attributed")
                )
            );

        var deployments = new List<(string, string?, string?)>();
        await foreach (
            var r in Rows(
                connection,
                $"""
                select repo, team, user_id
                from {T(OutcomeTables.Deployments)}
                where occurred_at >= @from and occurred_at < @to
                """,
                from,
                to,
                ct
            )
        )
            deployments.Add((r.GetString("repo"), r.GetStringOrNull("team"), r.GetStringOrNull("user_id")));

        return new EfficiencyFacts(
            prs.Select(p => new MergedPrCost(p.Change, p.Author, p.Cost, failed.Contains(p.Change.Key))
                {
                    Title = p.Title,
                    MergedAt = p.At,
                    LinesChanged = p.Lines,
                })
                .ToList(),
            spend,
            deployments,
            failures.Where(f => f.Kind == "incident_opened").ToList()
        );
    }

    /// <summary>
    /// Splits [from, to) into the whole UTC days the daily table answers (<c>first_day</c> to <c>end_day</c>) and the
    /// part-days at either end the facts answer ([from, whole_from) and [whole_to, to)); a range inside one day is all
    /// part-day.
    /// </summary>
    public static IReadOnlyDictionary<string, object> WholeDays(DateTimeOffset from, DateTimeOffset to)
    {
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        if (from.UtcDateTime.TimeOfDay != TimeSpan.Zero)
            firstDay = firstDay.AddDays(1);
        var endDay = DateOnly.FromDateTime(to.UtcDateTime);
        if (endDay < firstDay)
            endDay = firstDay;
        DateTime Start(DateOnly day) => DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
        var wholeFrom = firstDay == endDay ? from.UtcDateTime : Start(firstDay);
        var wholeTo = firstDay == endDay ? from.UtcDateTime : Start(endDay);
        return new Dictionary<string, object>
        {
            ["first_day"] = firstDay,
            ["end_day"] = endDay,
            ["whole_from"] = wholeFrom,
            ["whole_to"] = wholeTo,
        };
    }

    /// <summary>Whether [from, to) has a part-day at either end that <see cref="WholeDays"/> leaves to the facts.</summary>
    public static bool HasPartDays(DateTimeOffset from, DateTimeOffset to) =>
        from.UtcDateTime.TimeOfDay != TimeSpan.Zero || to.UtcDateTime.TimeOfDay != TimeSpan.Zero;

    private static async IAsyncEnumerable<NpgsqlDataReader> Rows(
        NpgsqlConnection connection,
        string sql,
        DateTimeOffset from,
        DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct,
        IReadOnlyDictionary<string, object>? more = null
    )
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        foreach (var (name, value) in more ?? new Dictionary<string, object>())
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return reader;
    }
}
