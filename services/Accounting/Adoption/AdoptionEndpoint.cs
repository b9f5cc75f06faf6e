using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Adoption;

/// <summary>
/// GET /v1/adoption?groupBy=team|org&amp;interval=day|week|month&amp;from&amp;to&amp;timeZone: active users per group and
/// period, their share of the group, tools, first uses, and members who have never used AI. Default: by team, per
/// week, the last 30 days. A limited reader sees only their people.
/// </summary>
internal static class AdoptionEndpoint
{
    public static void MapAdoption(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/v1/adoption",
                async (
                    HttpContext http,
                    AdoptionReader adoption,
                    Readers readers,
                    TimeProvider clock,
                    string? groupBy,
                    string? interval,
                    string? from,
                    string? to,
                    string? timeZone,
                    CancellationToken ct
                ) =>
                {
                    var (query, errors) = AdoptionQuery.Parse(groupBy, interval, from, to, timeZone, clock.GetUtcNow());
                    if (query is null)
                        return Results.ValidationProblem(errors);
                    return Results.Ok(await adoption.ReadAsync(query, await readers.ScopeOfAsync(http.User, ct), ct));
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetAdoption")
            .Produces<AdoptionReport>()
            .ProducesValidationProblem();
}
