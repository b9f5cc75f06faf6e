using System.Globalization;
using Npgsql;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting.Spend.QueryingSpend;

/// <summary>Answers a <see cref="SpendQuery"/> from spend_hourly with one grouped SQL query.</summary>
public sealed class SpendReader(TokenwiseSettings settings)
{
    public async IAsyncEnumerable<SpendRow> ReadAsync(SpendQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var columns = query.GroupBy.Select(d => SpendQuery.Dimensions[d]).ToList();
        // The interval is validated against a fixed set before it reaches SQL; the zone goes in as a parameter.
        var period = query.Interval is null ? "null::timestamp" : $"date_trunc('{query.Interval}', hour at time zone @zone)";
        var sums = string.Join(", ", HourlySpendTable.Measures.Select(m => $"sum({m})"));
        var sql = $"select {string.Join(", ", columns)}, {period} as period, {sums} from {settings.Schema}.{HourlySpendTable.Name} " +
                  $"where hour >= @from and hour < @to group by {string.Join(", ", columns)}, period " +
                  $"order by period nulls first, {string.Join(", ", columns)}";
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await using var reader = await ExecuteAsync(connection, sql, query, ct);
        while (await reader.ReadAsync(ct))
        {
            var group = query.GroupBy.Select((d, i) => (d, reader.GetString(i))).ToDictionary(x => x.d, x => x.Item2);
            var periodText = reader.IsDBNull(columns.Count) ? null : FormatPeriod(reader.GetDateTime(columns.Count), query.Interval!);
            var m = columns.Count + 1;
            long L(int i) => reader.GetInt64(m + i);
            decimal D(int i) => reader.GetDecimal(m + i);
            var costs = new BucketCosts(D(8), D(9), D(10), D(11), D(12));
            yield return new SpendRow(group, periodText, new SpendFigures(L(0), L(1),
                new TokenCounts(L(2), L(3), L(4), L(5), L(6), L(7)), costs, costs.Total));
        }
    }

    /// <summary>
    /// The price-book versions behind each row's figures, read from the charge ledger with the same grouping, so a
    /// reader can tell which prices a number was computed with (and see re-pricing take effect).
    /// </summary>
    public async Task<Dictionary<string, string[]>> PriceVersionsAsync(SpendQuery query, CancellationToken ct)
    {
        var columns = query.GroupBy.Select(d => SpendQuery.Dimensions[d]).ToList();
        var period = query.Interval is null ? "null::timestamp" : $"date_trunc('{query.Interval}', occurred_at at time zone @zone)";
        var sql = $"select {string.Join(", ", columns)}, {period} as period, array_agg(distinct coalesce(price_version, 'unpriced')) " +
                  $"from {settings.Schema}.{Ledger.ChargeLedgerTable.Name} where occurred_at >= @from and occurred_at < @to " +
                  $"group by {string.Join(", ", columns)}, period";
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        var versions = new Dictionary<string, string[]>();
        await using var reader = await ExecuteAsync(connection, sql, query, ct);
        while (await reader.ReadAsync(ct))
        {
            var group = Enumerable.Range(0, columns.Count).Select(reader.GetString);
            var periodText = reader.IsDBNull(columns.Count) ? null : FormatPeriod(reader.GetDateTime(columns.Count), query.Interval!);
            versions[RowKey(group, periodText)] = reader.GetFieldValue<string[]>(columns.Count + 1).Order().ToArray();
        }
        return versions;
    }

    /// <summary>Runs a spend query's SQL with its range and zone as @from, @to and @zone.</summary>
    private static async Task<NpgsqlDataReader> ExecuteAsync(NpgsqlConnection connection, string sql, SpendQuery query, CancellationToken ct)
    {
        await connection.OpenAsync(ct);
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", query.FromInstant.UtcDateTime);
        command.Parameters.AddWithValue("to", query.ToInstantExclusive.UtcDateTime);
        command.Parameters.AddWithValue("zone", query.Zone.Id);
        return await command.ExecuteReaderAsync(System.Data.CommandBehavior.CloseConnection, ct);
    }

    public static string RowKey(IEnumerable<string> group, string? period) => string.Join('\u001f', group.Append(period ?? ""));

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
