using Marten;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Budgets;

/// <summary>
/// GET /v1/budgets[?after=] and GET /v1/budgets/{scopeType}/{scopeId}: each budget in its current period. The list
/// holds at most <see cref="Limit"/> budgets by id; the next page starts after the last id.
/// </summary>
internal static class ReadBudgetsEndpoints
{
    public const int Limit = 200;

    public static void MapReadBudgets(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/budgets",
                async (
                    HttpContext http,
                    IQuerySession session,
                    BudgetSpend spend,
                    Readers readers,
                    TimeProvider clock,
                    string? after,
                    CancellationToken ct
                ) =>
                {
                    var scope = await readers.ScopeOfAsync(http.User, ct);
                    var query = session.Query<Budget>().AsQueryable();
                    if (!scope.All)
                    {
                        string[] users = [.. scope.Users],
                            teams = [.. scope.Teams];
                        query = query.Where(b =>
                            (b.ScopeType == ReaderScope.UserSubject && users.Contains(b.ScopeId))
                            || (b.ScopeType == ReaderScope.TeamSubject && teams.Contains(b.ScopeId))
                        );
                    }
                    if (after is not null)
                        query = query.Where(b => string.Compare(b.Id, after) > 0);
                    var budgets = await query.OrderBy(b => b.Id).Take(Limit).ToListAsync(ct);
                    return Results.Ok(await spend.StatusesAsync(budgets, clock.GetUtcNow(), ct));
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("ListBudgets")
            .Produces<IReadOnlyList<BudgetView>>();

        app.MapGet(
                "/v1/budgets/{scopeType}/{scopeId}",
                async (
                    string scopeType,
                    string scopeId,
                    HttpContext http,
                    IQuerySession session,
                    BudgetSpend spend,
                    Readers readers,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    if (!(await readers.ScopeOfAsync(http.User, ct)).MaySeeSubject(scopeType, scopeId))
                        return Readers.Forbidden($"{scopeType} '{scopeId}'");
                    return await session.LoadAsync<Budget>(Budget.StreamKey(scopeType, scopeId), ct) is { } budget
                        ? Results.Ok(await spend.StatusAsync(budget, clock.GetUtcNow(), ct))
                        : Results.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "No such budget",
                            detail: $"No budget is set for {scopeType} '{scopeId}'."
                        );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetBudget")
            .Produces<BudgetView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
