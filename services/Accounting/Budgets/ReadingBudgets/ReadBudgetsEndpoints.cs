using Marten;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Budgets.ReadingBudgets;

/// <summary>GET /v1/budgets and GET /v1/budgets/{scopeType}/{scopeId}: each budget in its current period.</summary>
internal static class ReadBudgetsEndpoints
{
    public static void MapReadBudgets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/budgets", async (IQuerySession session, BudgetLedger ledger, TimeProvider clock, CancellationToken ct) =>
            {
                var budgets = await session.Query<Budget>().OrderBy(b => b.Id).ToListAsync(ct);
                var statuses = new List<BudgetStatus>();
                foreach (var budget in budgets) statuses.Add(await ledger.StatusAsync(budget, clock.GetUtcNow(), ct));
                return Results.Ok(statuses);
            })
            .RequireAuthorization(Scopes.Read).WithName("ListBudgets").Produces<IReadOnlyList<BudgetStatus>>();

        app.MapGet("/v1/budgets/{scopeType}/{scopeId}", async (string scopeType, string scopeId, IQuerySession session, BudgetLedger ledger,
                TimeProvider clock, CancellationToken ct) =>
            await session.LoadAsync<Budget>(Budget.StreamKey(scopeType, scopeId), ct) is { } budget
                ? Results.Ok(await ledger.StatusAsync(budget, clock.GetUtcNow(), ct))
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such budget",
                    detail: $"No budget is set for {scopeType} '{scopeId}'."))
            .RequireAuthorization(Scopes.Read).WithName("GetBudget").Produces<BudgetStatus>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
