using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Reconciliation;

/// <summary>GET /v1/reconciliation?from&amp;to&amp;timeZone: our cost beside the senders' reported cost, by model and day.</summary>
internal static class ReconciliationEndpoint
{
    public static void MapReconciliation(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/reconciliation",
                async (
                    HttpContext http,
                    ReconciliationReader reconciliation,
                    Readers readers,
                    TimeProvider clock,
                    string? from,
                    string? to,
                    string? timeZone,
                    CancellationToken ct
                ) =>
                {
                    // The organisation's totals against the providers' bills: finance's, not a team's.
                    if (!(await readers.ScopeOfAsync(http.User, ct)).All)
                        return Readers.Forbidden("the organisation's reconciliation");
                    var (query, errors) = SpendQuery.Parse("model", from, to, null, timeZone, clock.GetUtcNow());
                    if (query is null)
                        return Results.ValidationProblem(errors);
                    return Results.Ok(await reconciliation.ReadAsync(query, ct));
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetReconciliation")
            .Produces<ReconciliationReport>()
            .ProducesValidationProblem();
}
