using System.Data;
using Npgsql;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.QueryingSpend;

/// <summary>
/// Answers a <see cref="SpendQuery"/> from spend_daily or spend_hourly (<see cref="SpendQuery.Source"/>) with one
/// grouped SQL query, price versions included, over the rows the reader may see (<see cref="ReaderScope"/>): a team total for a limited reader sums only their people's rows.
/// </summary>
public sealed class SpendReader(TokenwiseSettings settings)
{
    public async IAsyncEnumerable<SpendRow> ReadAsync(
        SpendQuery query,
        ReaderScope scope,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
    )
    {
        var columns = query.GroupBy.Select(d => SpendQuery.Dimensions[d]).ToList();
        var groups = string.Join(", ", columns);
        // The interval is validated against a fixed set before it reaches SQL; the zone goes in as a parameter.
        var (table, time) = query.Source;
        var period = query.Interval is null
            ? "null::timestamp"
            : $"date_trunc('{query.Interval}', {time} at time zone @zone)";
        var sums = string.Join(", ", HourlySpendTable.Measures.Select(m => $"sum({m}) as {m}"));
        // The price versions behind each row's figures, so a reader can tell which prices a number was computed with
        // (and see re-pricing take effect); '' is an unpriced charge's, and a version a re-pricing emptied is not named.
        // Summed per version first and then per row: two hash aggregations, where a distinct list of versions in one
        // pass would sort every stored row.
        var sql = $"""
            select {groups}, period, {sums},
                   array_agg(case when price_version = '' then 'unpriced' else price_version end)
                     filter (where requests > 0) as price_versions
            from (
              select {groups}, {period} as period, price_version, {sums}
              from {settings.Schema}.{table}
              where {time} >= @from and {time} < @to
                and {scope.Sql("user_id", "team")}{query.FilterSql}
              group by {groups}, period, price_version
            ) as per_version
            group by {groups}, period
            order by period nulls first, {groups}
            """;
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await using var reader = await ExecuteAsync(connection, sql, query, scope, ct);
        while (await reader.ReadAsync(ct))
        {
            var group = query.GroupBy.ToDictionary(d => d, d => reader.GetString(SpendQuery.Dimensions[d]));
            var periodText = reader.IsDBNull("period")
                ? null
                : SpendQuery.PeriodLabel(reader.GetDateTime("period"), query.Interval!);
            long L(string measure) => reader.GetInt64(measure);
            decimal D(string measure) => reader.GetDecimal(measure);
            var costs = new BucketCosts(
                D("input_cost"),
                D("cache_read_cost"),
                D("cache_write_cost"),
                D("cache_write_1h_cost"),
                D("output_cost")
            );
            var priceVersions = reader.IsDBNull("price_versions")
                ? []
                : reader.GetFieldValue<string[]>("price_versions").Order(StringComparer.Ordinal).ToArray();
            var tokens = new TokenCounts(
                L("input_tokens"),
                L("cache_read_tokens"),
                L("cache_write_tokens"),
                L("cache_write_1h_tokens"),
                L("output_tokens"),
                L("reasoning_tokens")
            );
            yield return new SpendRow(
                group,
                periodText,
                new SpendFigures(L("requests"), L("unpriced_requests"), tokens, costs, costs.Total)
            )
            {
                PriceVersions = priceVersions,
            };
        }
    }

    /// <summary>Runs a spend query's SQL with its range and zone as @from, @to and @zone, and the reader's limits.</summary>
    private static async Task<NpgsqlDataReader> ExecuteAsync(
        NpgsqlConnection connection,
        string sql,
        SpendQuery query,
        ReaderScope scope,
        CancellationToken ct
    )
    {
        await connection.OpenAsync(ct);
        var command = query.Command(sql, connection, scope);
        return await command.ExecuteReaderAsync(System.Data.CommandBehavior.CloseConnection, ct);
    }

    public static SpendFigures Total(IEnumerable<SpendRow> rows) =>
        rows.Aggregate(
            new SpendFigures(0, 0, TokenCounts.Zero, BucketCosts.Zero, 0),
            (sum, row) =>
            {
                var cost = sum.Cost.Add(row.Figures.Cost);
                return new SpendFigures(
                    sum.Requests + row.Figures.Requests,
                    sum.UnpricedRequests + row.Figures.UnpricedRequests,
                    sum.Tokens.Add(row.Figures.Tokens),
                    cost,
                    cost.Total
                );
            }
        );
}
