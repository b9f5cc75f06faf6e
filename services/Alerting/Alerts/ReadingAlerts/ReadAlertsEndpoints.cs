using Marten;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Alerting.Alerts.ReadingAlerts;

/// <summary>GET /v1/alerts?status=&amp;kind=&amp;scope=&amp;from= (newest first, at most 500) and GET /v1/alerts/{id} with its history.</summary>
internal static class ReadAlertsEndpoints
{
    public const int MaxHistory = 500;
    private static readonly HashSet<string> Statuses =
    [
        AlertStatuses.Raised,
        AlertStatuses.Escalated,
        AlertStatuses.Acknowledged,
        AlertStatuses.Resolved,
        "open",
    ];

    public static void MapReadAlerts(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/alerts",
                async (
                    string? status,
                    string? kind,
                    string? scope,
                    DateTimeOffset? from,
                    HttpContext http,
                    Readers readers,
                    IQuerySession session,
                    CancellationToken ct
                ) =>
                {
                    var errors = new ValidationErrors();
                    if (status is not null && !Statuses.Contains(status))
                        errors.Add("status", "must be open, raised, escalated, acknowledged or resolved");
                    if (kind is not null && !Rules.AlertKinds.Rules.Contains(kind))
                        errors.Add("kind", $"must be one of {string.Join(", ", Rules.AlertKinds.Rules)}");
                    if (errors.Any)
                        return errors.ToProblem();

                    IQueryable<Alert> alerts = session.Query<Alert>().Within(await readers.ScopeOfAsync(http.User, ct));
                    if (status == "open")
                        alerts = alerts.Where(a => a.Status != AlertStatuses.Resolved);
                    else if (status is not null)
                        alerts = alerts.Where(a => a.Status == status);
                    if (kind is not null)
                        alerts = alerts.Where(a => a.Kind == kind);
                    // "user" matches every user; "user:alice" one subject.
                    if (scope?.Split(':', 2) is [var type, var id])
                        alerts = alerts.Where(a => a.Scope.Type == type && a.Scope.Id == id);
                    else if (scope is not null)
                        alerts = alerts.Where(a => a.Scope.Type == scope);
                    if (from is { } since)
                        alerts = alerts.Where(a => a.RaisedAt >= since);
                    return Results.Ok(
                        (await alerts.OrderByDescending(a => a.RaisedAt).Take(500).ToListAsync(ct))
                            .Select(a => a.ToView())
                            .ToList()
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("ListAlerts")
            .Produces<IReadOnlyList<AlertView>>()
            .ProducesValidationProblem();

        app.MapGet(
                "/v1/alerts/{id}",
                async (string id, HttpContext http, Readers readers, IQuerySession session, CancellationToken ct) =>
                {
                    var alert = await session.LoadAsync<Alert>(id, ct);
                    var reader = await readers.ScopeOfAsync(http.User, ct);
                    // A limited reader learns nothing of alerts outside their limits, not even that one exists.
                    if (!reader.All && (alert is null || !AlertReaders.MaySee(reader, alert)))
                        return Readers.Forbidden($"alert '{id}'");
                    if (alert is null)
                        return Results.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "No such alert",
                            detail: $"No alert has the id {id}."
                        );
                    // The latest steps: an alert open for weeks is updated up to once a minute.
                    var history = (
                        await session.Events.FetchStreamAsync(
                            id,
                            fromVersion: Math.Max(0, alert.Version - MaxHistory + 1),
                            token: ct
                        )
                    )
                        .Select(e =>
                            e.Data switch
                            {
                                AlertRaised x => new AlertStepView(
                                    "raised",
                                    x.Alert.Status,
                                    x.Alert.Severity,
                                    x.Alert.UpdatedAt,
                                    null,
                                    null
                                ),
                                AlertEscalated x => new AlertStepView(
                                    "escalated",
                                    x.Alert.Status,
                                    x.Alert.Severity,
                                    x.Alert.UpdatedAt,
                                    null,
                                    $"from {x.PreviousSeverity}"
                                ),
                                AlertUpdated x => new AlertStepView(
                                    "updated",
                                    x.Alert.Status,
                                    x.Alert.Severity,
                                    x.Alert.UpdatedAt,
                                    null,
                                    null
                                ),
                                AlertAcknowledged x => new AlertStepView(
                                    "acknowledged",
                                    x.Alert.Status,
                                    x.Alert.Severity,
                                    x.Alert.UpdatedAt,
                                    x.By,
                                    x.Reason
                                ),
                                AlertResolved x => new AlertStepView(
                                    "resolved",
                                    x.Alert.Status,
                                    x.Alert.Severity,
                                    x.Alert.UpdatedAt,
                                    x.By,
                                    x.Reason
                                ),
                                _ => null,
                            }
                        )
                        .OfType<AlertStepView>()
                        .ToList();
                    return Results.Ok(new AlertDetails(alert.ToView(), history));
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetAlert")
            .Produces<AlertDetails>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
