using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Spend.QueryingSpend;

/// <summary>
/// GET /v1/spend?groupBy=user[,model]&amp;from&amp;to&amp;interval&amp;timeZone[&amp;user][&amp;team] — from and to are calendar
/// days in the time zone (default UTC), both inclusive; the default range is the last 30 days; user and team narrow
/// the answer to one person's or one team's figures (within the reader's limits). At most <see cref="SpendQuery.MaxRows"/>
/// rows: a wider answer is a 400 that says how to narrow it (the CSV export streams any number).
/// </summary>
internal static class SpendEndpoint
{
    public static void MapSpendQueries(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/spend",
                async (
                    HttpContext http,
                    SpendReader reader,
                    Readers readers,
                    TimeProvider clock,
                    string? groupBy,
                    string? from,
                    string? to,
                    string? interval,
                    string? timeZone,
                    string? user,
                    string? team,
                    CancellationToken ct
                ) =>
                {
                    var (query, errors) = SpendQuery.Parse(groupBy, from, to, interval, timeZone, clock.GetUtcNow());
                    foreach (var (field, value) in new[] { ("user", user), ("team", team) })
                        if (value is not null && TextRules.Problem(value) is { } problem)
                            errors[field] = [problem];
                    if (query is null || errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    query = query with { User = user, Team = team };
                    var rows = await reader
                        .ReadAsync(query, await readers.ScopeOfAsync(http.User, ct), ct)
                        .Take(SpendQuery.MaxRows + 1)
                        .ToListAsync(ct);
                    if (rows.Count > SpendQuery.MaxRows)
                        return Results.ValidationProblem(
                            new Dictionary<string, string[]>
                            {
                                ["$"] =
                                [
                                    $"the answer has more than {SpendQuery.MaxRows:N0} rows; narrow it (a shorter range, a coarser interval, "
                                        + "one dimension), or stream every row with GET /v1/spend/export",
                                ],
                            },
                            title: "The query is too wide"
                        );
                    return Results.Ok(
                        new SpendReport(
                            query.GroupBy,
                            query.From,
                            query.To,
                            query.Zone.Id,
                            query.Interval,
                            rows,
                            SpendReader.Total(rows)
                        )
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetSpend")
            .Produces<SpendReport>()
            .ProducesValidationProblem();
    }
}
