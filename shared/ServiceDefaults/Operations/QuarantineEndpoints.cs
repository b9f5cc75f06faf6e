using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>
/// GET /v1/ops/quarantine[?status=quarantined|replayed&amp;after=&amp;limit=] (admin): the items this service set aside,
/// newest first, with the reason and the message that replays each; <c>next</c> is the cursor (after=) of the page after.
/// POST /v1/ops/quarantine/replay[?id=] (admin): sends held items back to their queues after a fix.
/// </summary>
internal static class QuarantineEndpoints
{
    public const int DefaultLimit = 100;

    public sealed record QuarantinePage(IReadOnlyList<QuarantinedItem> Items, string? Next);

    public static void MapQuarantine(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/ops/quarantine",
                async (string? status, string? after, int? limit, Quarantine quarantine, CancellationToken ct) =>
                {
                    var errors = new Dictionary<string, string[]>();
                    if (status is not (null or QuarantinedItem.Held or QuarantinedItem.Replayed))
                        errors["status"] = ["must be quarantined or replayed"];
                    (DateTimeOffset, string)? cursor = null;
                    if (after is not null)
                    {
                        if (
                            after.Split('|', 2) is [var time, var id]
                            && DateTimeOffset.TryParseExact(
                                time,
                                "O",
                                CultureInfo.InvariantCulture,
                                DateTimeStyles.None,
                                out var at
                            )
                        )
                            cursor = (at, id);
                        else
                            errors["after"] = ["must be a cursor as the previous page's next gives it"];
                    }
                    if (limit is < 1 or > Quarantine.PageLimit)
                        errors["limit"] = [$"must be from 1 to {Quarantine.PageLimit}"];
                    if (errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    var page = await quarantine.ListAsync(status, cursor, limit ?? DefaultLimit, ct);
                    var next =
                        page.Count == (limit ?? DefaultLimit)
                            ? $"{page[^1].QuarantinedAt.ToString("O", CultureInfo.InvariantCulture)}|{page[^1].Id}"
                            : null;
                    return Results.Ok(new QuarantinePage(page, next));
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ListQuarantine");
        app.MapPost(
                "/v1/ops/quarantine/replay",
                async (
                    string? id,
                    HttpContext http,
                    Quarantine quarantine,
                    AdminActions audit,
                    IDocumentStore store,
                    CancellationToken ct
                ) =>
                {
                    var replayed = await quarantine.ReplayAsync(id, ct);
                    await audit.RecordAsync(
                        store,
                        http.User,
                        AdminActionKinds.QuarantineReplayed,
                        id ?? "all",
                        new { replayed },
                        ct
                    );
                    return Results.Ok(new { replayed });
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ReplayQuarantine");
    }
}
