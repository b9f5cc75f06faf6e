using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>
/// GET /v1/ops/failed-messages (admin): what failed every retry in this service, with the reason.
/// POST /v1/ops/failed-messages/replay[?messageId=] (admin): send them back to the queue they failed on.
/// </summary>
internal static class FailedMessageEndpoints
{
    public static void MapFailedMessages(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/ops/failed-messages",
                async (FailedMessages failed, CancellationToken ct) => Results.Ok(await failed.ListAsync(ct))
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ListFailedMessages");
        app.MapPost(
                "/v1/ops/failed-messages/replay",
                async (
                    string? messageId,
                    HttpContext http,
                    FailedMessages failed,
                    AdminActions audit,
                    IDocumentStore store,
                    CancellationToken ct
                ) =>
                {
                    var replayed = await failed.ReplayAsync(messageId, ct);
                    // The messages are back on their queues whatever happens next; the entry says so once it is saved.
                    await audit.RecordAsync(
                        store,
                        http.User,
                        AdminActionKinds.FailedMessagesReplayed,
                        messageId ?? "all",
                        new { replayed },
                        ct
                    );
                    return Results.Ok(new { replayed });
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ReplayFailedMessages");
    }
}
