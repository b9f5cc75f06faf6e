using Marten;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Alerting.Alerts;

/// <summary>
/// POST /v1/alerts/{id}/ack {by, reason?} and /resolve {by, reason} (admin). Recorded as a request the alert desk
/// applies in order with the rules' own signals: 202, and GET /v1/alerts/{id} shows it within a moment.
/// </summary>
internal static class AlertActionEndpoints
{
    public static void MapAlertActions(this IEndpointRouteBuilder app)
    {
        app.MapPost(
                "/v1/alerts/{id}/ack",
                (
                    string id,
                    HttpContext http,
                    IDocumentSession session,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) => ActAsync(id, AlertActions.Acknowledge, http, session, audit, clock, ct)
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("AcknowledgeAlert");
        app.MapPost(
                "/v1/alerts/{id}/resolve",
                (
                    string id,
                    HttpContext http,
                    IDocumentSession session,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) => ActAsync(id, AlertActions.Resolve, http, session, audit, clock, ct)
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("ResolveAlert");
    }

    private static async Task<IResult> ActAsync(
        string id,
        string action,
        HttpContext http,
        IDocumentSession session,
        AdminActions audit,
        TimeProvider clock,
        CancellationToken ct
    )
    {
        return await JsonBody.HandleObjectAsync(
            http.Request,
            ct,
            async root =>
            {
                var errors = new ValidationErrors();
                var f = new JsonFields(root, "", errors);
                var by = f.Text("by", 200, required: true);
                var reason = f.Text("reason", 2000, required: action == AlertActions.Resolve);
                if (errors.Any)
                    return errors.ToProblem();

                var alert = await session.LoadAsync<Alert>(id, ct);
                if (alert is null)
                    return Results.Problem(
                        statusCode: StatusCodes.Status404NotFound,
                        title: "No such alert",
                        detail: $"No alert has the id {id}."
                    );
                if (!alert.IsOpen)
                    return Results.Problem(
                        statusCode: StatusCodes.Status409Conflict,
                        title: "Alert already resolved",
                        detail: $"{id} was resolved by {alert.ResolvedBy}."
                    );
                session.Events.Append(
                    $"action:{id}",
                    new AlertActionRequested(id, action, by!, reason, clock.GetUtcNow())
                );
                audit.Record(
                    session,
                    http.User,
                    action == AlertActions.Resolve
                        ? AdminActionKinds.AlertResolved
                        : AdminActionKinds.AlertAcknowledged,
                    id,
                    new
                    {
                        alert.Kind,
                        scope = alert.Scope.ToString(),
                        reason,
                    },
                    person: by
                );
                await session.SaveChangesAsync(ct);
                return Results.Accepted($"/v1/alerts/{id}", alert.ToView());
            }
        );
    }
}
