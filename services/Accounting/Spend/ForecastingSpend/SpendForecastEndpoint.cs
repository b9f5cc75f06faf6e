using Tokenwise.Accounting.Budgets;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.ForecastingSpend;

/// <summary>
/// GET /v1/spend/forecast?groupBy=team&amp;period=month&amp;timeZone: this period's spend so far and where it is heading
/// at the last week's pace, per team (or user, model, provider, tool, repo).
/// </summary>
internal static class SpendForecastEndpoint
{
    public static void MapSpendForecast(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/spend/forecast",
                async (
                    HttpContext http,
                    SpendForecastReader forecasts,
                    Readers readers,
                    TimeProvider clock,
                    string? groupBy,
                    string? period,
                    string? timeZone,
                    CancellationToken ct
                ) =>
                {
                    var errors = new Dictionary<string, string[]>();
                    groupBy ??= "team";
                    if (!SpendQuery.Dimensions.ContainsKey(groupBy))
                        errors["groupBy"] = [$"must be one of {string.Join(", ", SpendQuery.Dimensions.Keys)}"];
                    period ??= "month";
                    if (!BudgetPeriods.Kinds.Contains(period))
                        errors["period"] = ["must be day, week or month"];
                    var zone = SpendQuery.ParseZone(timeZone, errors);
                    if (errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    var scope = await readers.ScopeOfAsync(http.User, ct);
                    return Results.Ok(await forecasts.ReadAsync(groupBy, period, zone, clock.GetUtcNow(), scope, ct));
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetSpendForecast")
            .Produces<SpendForecastReport>()
            .ProducesValidationProblem();
}
