using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.RebuildingSpend;

/// <summary>POST /v1/ops/spend/rebuild: an administrator makes spend_hourly again from the charge events.</summary>
internal static class RebuildSpendEndpoint
{
    public static void MapRebuildSpend(this IEndpointRouteBuilder app) =>
        app.MapPost(
                "/v1/ops/spend/rebuild",
                async (
                    HttpContext http,
                    HourlySpendRebuild rebuild,
                    AdminActions audit,
                    IDocumentStore store,
                    CancellationToken ct
                ) =>
                {
                    var rebuilt = await rebuild.RunAsync(ct);
                    await audit.RecordAsync(
                        store,
                        http.User,
                        AdminActionKinds.SpendRebuilt,
                        "spend_hourly",
                        rebuilt,
                        ct
                    );
                    return Results.Ok(rebuilt);
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("RebuildSpend")
            .Produces<SpendRebuilt>();
}
