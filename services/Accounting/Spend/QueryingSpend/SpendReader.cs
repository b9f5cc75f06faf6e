using System.Globalization;
using Npgsql;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.QueryingSpend;

/// <summary>
/// Answers a <see cref="SpendQuery"/> from spend_hourly with one grouped SQL query, price versions included, over the rows
/// the reader may see (<see cref="ReaderScope"/>): a team total for a limited reader sums only their people's rows.
/// </summary>
public sealed class SpendReader(TokenwiseSettings settings)
{
    public async IAsyncEnumerable<SpendRow> ReadAsync(SpendQuery query, ReaderScope scope,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var columns = query.GroupBy.Select(d => SpendQuery.Dimensions[d]).ToList();
        // The interval is validated against a fixed set before it reaches SQL; the zone goes in as a parameter.
        var period = query.Interval is null ? "null::timestamp" : $"date_trunc('{query.Interval}', hour at time zone @zone)";
        var sums = string.Join(", ", HourlySpendTable.Measures.Select(m => $"sum({m})"));
        // The price versions behind each row's figures, so a reader can tell which prices a number was computed with
        // (and see re-pricing take effect); '' is an unpriced charge's, and a row a re-pricing emptied names none.
        var versions = "array_agg(distinct case when price_version = '' then 'unpriced' else price_version end) filter (where requests > 0)";
        var sql = $"select {string.Join(", ", columns)}, {period} as period, {sums}, {versions} " +
                  $"from {settings.Schema}.{HourlySpendTable.Name} " +
                  $"where hour >= @from and hour < @to and {scope.Sql("user_id", "team")} group by {string.Join(", ", columns)}, period " +
                  $"order by period nulls first, {string.Join(", ", columns)}";
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await using var reader = await ExecuteAsync(connection, sql, query, scope, ct);
        while (await reader.ReadAsync(ct))
        {
            var group = query.GroupBy.Select((d, i) => (d, reader.GetString(i))).ToDictionary(x => x.d, x => x.Item2);
            var periodText = reader.IsDBNull(columns.Count) ? null : FormatPeriod(reader.GetDateTime(columns.Count), query.Interval!);
            var m = columns.Count + 1;
            long L(int i) => reader.GetInt64(m + i);
            decimal D(int i) => reader.GetDecimal(m + i);
            var costs = new BucketCosts(D(8), D(9), D(10), D(11), D(12));
            var priceVersions = reader.IsDBNull(m + 14) ? [] : reader.GetFieldValue<string[]>(m + 14).Order(StringComparer.Ordinal).ToArray();
            yield return new SpendRow(group, periodText, new SpendFigures(L(0), L(1),
                new TokenCounts(L(2), L(3), L(4), L(5), L(6), L(7)), costs, costs.Total))
            { PriceVersions = priceVersions };
        }
    }

    /// <summary>Runs a spend query's SQL with its range and zone as @from, @to and @zone, and the reader's limits.</summary>
    private static async Task<NpgsqlDataReader> ExecuteAsync(NpgsqlConnection connection, string sql, SpendQuery query, ReaderScope scope, CancellationToken ct)
    {
        await connection.OpenAsync(ct);
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", query.FromInstant.UtcDateTime);
        command.Parameters.AddWithValue("to", query.ToInstantExclusive.UtcDateTime);
        command.Parameters.AddWithValue("zone", query.Zone.Id);
        scope.AddTo(command);
        return await command.ExecuteReaderAsync(System.Data.CommandBehavior.CloseConnection, ct);
    }

    public static SpendFigures Total(IEnumerable<SpendRow> rows) =>
        rows.Aggregate(new SpendFigures(0, 0, TokenCounts.Zero, BucketCosts.Zero, 0), (sum, row) =>
        {
            var cost = sum.Cost.Add(row.Figures.Cost);
            return new SpendFigures(sum.Requests + row.Figures.Requests, sum.UnpricedRequests + row.Figures.UnpricedRequests,
                sum.Tokens.Add(row.Figures.Tokens), cost, cost.Total);
        });

    private static string FormatPeriod(DateTime start, string interval) =>
        interval == "hour" ? start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
