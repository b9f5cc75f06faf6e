using System.Data;
using Npgsql;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Adoption;

/// <summary>
/// Reads who used AI in which period, with which tools, and when each person first did, from <c>spend_daily</c> or
/// <c>spend_hourly</c> (<see cref="SpendQuery.Source"/>)
/// (a row that re-pricing emptied is not use), and applies <see cref="AdoptionFigures"/> over what the reader may see.
/// </summary>
public sealed class AdoptionReader(TokenwiseSettings settings, IPeopleDirectory directory)
{
    public async Task<AdoptionReport> ReadAsync(AdoptionQuery query, ReaderScope scope, CancellationToken ct)
    {
        var range = query.Range;
        var (table, time) = range.Source;
        var source = $"{settings.Schema}.{table}";
        // The interval is one of a fixed set before it reaches SQL; the zone goes in as a parameter.
        var period = $"date_trunc('{query.Interval}', {time} at time zone @zone)";
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);

        // Per tool first, then per person and period: two hash aggregations instead of sorting every row for a
        // distinct list of tools.
        var uses = new List<PeriodUse>();
        await using (
            var command = range.Command(
                $"""
                select user_id, max(team) as team, period, array_agg(tool) as tools
                from (
                  select user_id, max(team) as team, {period} as period, tool
                  from {source}
                  where {time} >= @from and {time} < @to
                    and requests > 0
                    and {scope.Sql("user_id", "team")}
                  group by user_id, period, tool
                ) as per_tool
                group by user_id, period
                """,
                connection,
                scope
            )
        )
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                uses.Add(
                    new PeriodUse(
                        reader.GetString("user_id"),
                        reader.GetString("team"),
                        SpendQuery.PeriodLabel(reader.GetDateTime("period"), query.Interval),
                        reader.GetFieldValue<string[]>("tools").ToHashSet(StringComparer.Ordinal)
                    )
                );

        // When each person first used AI, for the people the report names (the active, and the directory's, to tell
        // who never has): one index probe per person on (user_id, time), however long the history.
        var people = (await directory.PeopleAsync(ct)).Where(p => scope.MaySee(p.User, p.Team)).ToList();
        var named = uses.Select(u => u.User)
            .Concat(people.Select(p => p.User))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var firstUse = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (
            var command = range.Command(
                $"""
                select named.user_id, date_trunc('{query.Interval}', earliest.at at time zone @zone) as first_period
                from unnest(@named) as named(user_id)
                cross join lateral (
                  select min({time}) as at
                  from {source} as s
                  where s.user_id = named.user_id
                    and s.requests > 0
                    and {scope.Sql("s.user_id", "s.team")}) as earliest
                where earliest.at is not null
                """,
                connection,
                scope
            )
        )
        {
            command.Parameters.AddWithValue("named", named);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                firstUse[reader.GetString("user_id")] = SpendQuery.PeriodLabel(
                    reader.GetDateTime("first_period"),
                    query.Interval
                );
        }

        var (rows, groups) = AdoptionFigures.Compute(query.GroupBy, uses, firstUse, people);
        // The organisation's rows come from the same reads, so a caller needing both does not scan the range twice.
        var organisation =
            query.GroupBy == AdoptionFigures.ByOrg
                ? rows
                : AdoptionFigures.Compute(AdoptionFigures.ByOrg, uses, firstUse, people).Rows;
        return new AdoptionReport(
            query.GroupBy,
            query.Interval,
            range.From,
            range.To,
            range.Zone.Id,
            rows,
            groups,
            organisation
        );
    }
}
