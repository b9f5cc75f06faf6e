using Npgsql;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Reconciliation;

/// <summary>
/// GET /v1/reconciliation?from&amp;to&amp;timeZone: for usage whose sender reported a cost, our cost beside theirs and the
/// drift, by model and day — where a gateway's or provider's figure disagrees with the price book.
/// </summary>
internal static class ReconciliationEndpoint
{
    public sealed record ReconciliationRow(string Model, DateOnly Day, long Requests, decimal OurCostUsd, decimal ReportedCostUsd,
        decimal DriftUsd, decimal? DriftPercent);

    public sealed record ReconciliationReport(DateOnly From, DateOnly To, string TimeZone, IReadOnlyList<ReconciliationRow> Rows,
        decimal OurCostUsd, decimal ReportedCostUsd, decimal DriftUsd);

    public static void MapReconciliation(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/reconciliation", async (HttpContext http, TokenwiseSettings settings, Readers readers, TimeProvider clock, string? from,
                string? to, string? timeZone, CancellationToken ct) =>
            {
                // The organisation's totals against the providers' bills: finance's, not a team's.
                if (!(await readers.ScopeOfAsync(http.User, ct)).All) return Readers.Forbidden("the organisation's reconciliation");
                var (query, errors) = SpendQuery.Parse("model", from, to, null, timeZone, clock.GetUtcNow());
                if (query is null) return Results.ValidationProblem(errors);
                await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(
                    $"select model_key, (occurred_at at time zone @zone)::date as day, count(*), sum(cost), sum(reported_cost) " +
                    $"from {settings.Schema}.{ChargeLedgerTable.Name} where reported_cost is not null and occurred_at >= @from and occurred_at < @to " +
                    "group by model_key, day order by day, model_key", connection);
                command.Parameters.AddWithValue("zone", query.Zone.Id);
                command.Parameters.AddWithValue("from", query.FromInstant.UtcDateTime);
                command.Parameters.AddWithValue("to", query.ToInstantExclusive.UtcDateTime);
                var rows = new List<ReconciliationRow>();
                await using (var reader = await command.ExecuteReaderAsync(ct))
                    while (await reader.ReadAsync(ct))
                    {
                        var ours = reader.GetDecimal(3);
                        var theirs = reader.GetDecimal(4);
                        rows.Add(new ReconciliationRow(reader.GetString(0), DateOnly.FromDateTime(reader.GetDateTime(1)), reader.GetInt64(2),
                            ours, theirs, theirs - ours, ours == 0 ? null : Math.Round((theirs - ours) / ours * 100, 2)));
                    }
                var our = rows.Sum(r => r.OurCostUsd);
                var reported = rows.Sum(r => r.ReportedCostUsd);
                return Results.Ok(new ReconciliationReport(query.From, query.To, query.Zone.Id, rows, our, reported, reported - our));
            })
            .RequireAuthorization(Scopes.Read)
            .WithName("GetReconciliation")
            .Produces<ReconciliationReport>()
            .ProducesValidationProblem();
}
