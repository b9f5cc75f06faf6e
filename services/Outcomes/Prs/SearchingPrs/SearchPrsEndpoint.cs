using System.Globalization;
using Tokenwise.Client.Models;
using Tokenwise.Outcomes.Efficiency;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Outcomes.Prs.SearchingPrs;

/// <summary>
/// GET /v1/prs?from&amp;to&amp;repo&amp;author&amp;team&amp;aiAssisted&amp;failed&amp;minCostUsd&amp;limit (read, within the
/// reader's limits): PRs merged in the range (UTC days, inclusive; default the last 30), newest first, each with its
/// attributed cost, its size and whether an incident or revert named it.
/// </summary>
internal static class SearchPrsEndpoint
{
    public static void MapSearchPrs(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/prs",
                async (
                    HttpContext http,
                    EfficiencyFactsReader reader,
                    Readers readers,
                    TimeProvider clock,
                    string? from,
                    string? to,
                    string? repo,
                    string? author,
                    string? team,
                    string? aiAssisted,
                    string? failed,
                    string? minCostUsd,
                    string? limit,
                    CancellationToken ct
                ) =>
                {
                    var errors = new Dictionary<string, string[]>();
                    var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                    var toDay = EfficiencyEndpoints.Day(to, "to", errors) ?? today;
                    var fromDay = EfficiencyEndpoints.Day(from, "from", errors) ?? toDay.AddDays(-29);
                    if (fromDay > toDay)
                        errors["from"] = ["must not be after to"];
                    else if (toDay.DayNumber - fromDay.DayNumber >= EfficiencyEndpoints.MaxDays)
                        errors["from"] = [$"the range may span at most {EfficiencyEndpoints.MaxDays} days"];
                    string? Text(string? value, string field)
                    {
                        if (value is null)
                            return null;
                        if (TextRules.Problem(value) is { } problem)
                            errors[field] = [problem];
                        return value;
                    }
                    bool? Flag(string? value, string field)
                    {
                        if (value is null)
                            return null;
                        if (bool.TryParse(value, out var flag))
                            return flag;
                        errors[field] = ["must be true or false"];
                        return null;
                    }
                    decimal? minCost = null;
                    if (minCostUsd is not null)
                        if (
                            decimal.TryParse(
                                minCostUsd,
                                NumberStyles.Number,
                                CultureInfo.InvariantCulture,
                                out var cost
                            )
                            && cost >= 0
                        )
                            minCost = cost;
                        else
                            errors["minCostUsd"] = ["must be a number of dollars, zero or more"];
                    var take = PrSearch.DefaultLimit;
                    if (limit is not null)
                        if (
                            int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                            && n is >= 1 and <= PrSearch.MaxLimit
                        )
                            take = n;
                        else
                            errors["limit"] = [$"must be from 1 to {PrSearch.MaxLimit}"];
                    var query = new PrQuery(
                        Text(repo, "repo"),
                        Text(author, "author"),
                        Text(team, "team"),
                        Flag(aiAssisted, "aiAssisted"),
                        Flag(failed, "failed"),
                        minCost,
                        take
                    );
                    if (errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    var facts = (
                        await reader.ReadAsync(
                            EfficiencyEndpoints.Start(fromDay),
                            EfficiencyEndpoints.Start(toDay.AddDays(1)),
                            ct
                        )
                    ).Within(await readers.ScopeOfAsync(http.User, ct));
                    var (total, prs) = PrSearch.Find(facts.Merged, query);
                    return Results.Ok(new PrSearchReport(fromDay, toDay, total, prs));
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("SearchPrs")
            .Produces<PrSearchReport>()
            .ProducesValidationProblem();
}
