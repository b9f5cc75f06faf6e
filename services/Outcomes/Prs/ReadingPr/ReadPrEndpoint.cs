using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Outcomes.Prs.ReadingPr;

/// <summary>
/// GET /v1/prs/{owner}/{repo}/{number}: what a PR cost, who and which sessions spent it, and how it fared. A limited
/// reader sees the PRs their people wrote or their teams own.
/// </summary>
internal static class ReadPrEndpoint
{
    public static void MapReadPr(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/prs/{owner}/{repo}/{number:int}",
                async (
                    string owner,
                    string repo,
                    int number,
                    HttpContext http,
                    PrReader prs,
                    Readers readers,
                    CancellationToken ct
                ) =>
                {
                    var found = await prs.ReadAsync($"{owner}/{repo}", number, ct);
                    var scope = await readers.ScopeOfAsync(http.User, ct);
                    // A limited reader learns nothing of other people's PRs, not even whether they exist.
                    if (!scope.All && (found is null || !scope.MaySee(found.Report.Author, found.Team)))
                        return Readers.Forbidden($"{owner}/{repo}#{number}");
                    if (found is null)
                        return Results.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "No such PR",
                            detail: $"No outcome names {owner}/{repo}#{number}."
                        );
                    return Results.Ok(found.Report);
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetPr")
            .Produces<PrReport>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
