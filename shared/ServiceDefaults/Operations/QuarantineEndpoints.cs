using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>
/// GET /v1/ops/quarantine[?status=quarantined|replayed&amp;before=&amp;limit=] (admin): the items this service set aside,
/// newest first, with the reason and the message that replays each; <c>next</c> is the cursor for the page after.
/// POST /v1/ops/quarantine/replay[?id=] (admin): sends held items back to their queues after a fix.
/// </summary>
internal static class QuarantineEndpoints
{
    public const int DefaultLimit = 100;

    public sealed record QuarantinePage(IReadOnlyList<QuarantinedItem> Items, string? Next);

    public static void MapQuarantine(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/ops/quarantine", async (string? status, string? before, int? limit, Quarantine quarantine, CancellationToken ct) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (status is not (null or QuarantinedItem.Held or QuarantinedItem.Replayed)) errors["status"] = ["must be quarantined or replayed"];
                DateTimeOffset? cursor = null;
                if (before is not null)
                {
                    if (DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) cursor = at;
                    else errors["before"] = ["must be a timestamp, as the previous page's next gives it"];
                }
                if (limit is < 1 or > Quarantine.PageLimit) errors["limit"] = [$"must be from 1 to {Quarantine.PageLimit}"];
                if (errors.Count > 0) return Results.ValidationProblem(errors);
                var page = await quarantine.ListAsync(status, cursor, limit ?? DefaultLimit, ct);
                var next = page.Count == (limit ?? DefaultLimit) ? page[^1].QuarantinedAt.ToString("O", CultureInfo.InvariantCulture) : null;
                return Results.Ok(new QuarantinePage(page, next));
            })
            .RequireAuthorization(Scopes.Admin).WithName("ListQuarantine");
        app.MapPost("/v1/ops/quarantine/replay", async (string? id, Quarantine quarantine, CancellationToken ct) =>
                Results.Ok(new { replayed = await quarantine.ReplayAsync(id, ct) }))
            .RequireAuthorization(Scopes.Admin).WithName("ReplayQuarantine");
    }
}
