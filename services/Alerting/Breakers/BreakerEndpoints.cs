using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Alerting.Breakers;

/// <summary>
/// GET /v1/check?user=&amp;team=&amp;model= (any key): may this user spend now? Answered from this instance's
/// memory; why not, only to a key that speaks for the user (<see cref="MayHearWhy"/>). GET /v1/breakers (read: every
/// breaker that is open or overridden now, within the reader's limits), GET /v1/breakers/{user} (read,
/// within the reader's limits) and POST /v1/breakers/{user}/override {by, until, reason} (admin).
/// </summary>
internal static class BreakerEndpoints
{
    public static void MapBreakers(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/check",
                (HttpContext http, string? user, string? team, string? model, BreakerBoard board, TimeProvider clock) =>
                {
                    if (string.IsNullOrWhiteSpace(user))
                    {
                        var errors = new ValidationErrors();
                        errors.Add("user", "is required");
                        return errors.ToProblem();
                    }
                    // The model is accepted for the gateway's convenience; breakers are per user, team and org today.
                    var blocking = board.Blocking(
                        user,
                        string.IsNullOrWhiteSpace(team) ? null : team,
                        clock.GetUtcNow()
                    );
                    if (blocking is null)
                        return Results.Ok(new CheckResult(true, null, null));
                    return Results.Ok(
                        MayHearWhy(http.User.Binding(), user, board)
                            ? new CheckResult(
                                false,
                                $"{blocking.ScopeType} {blocking.ScopeId}: {blocking.Reason}",
                                blocking.ToInfo()
                            )
                            : new CheckResult(false, null, null)
                    );
                }
            )
            // A gateway asks before every request, so the per-key rate limit would throttle its users' traffic; the
            // answer comes from memory and costs microseconds.
            .RequireAuthorization()
            .DisableRateLimiting()
            .WithName("Check")
            .Produces<CheckResult>();

        app.MapGet(
                "/v1/breakers",
                async (
                    HttpContext http,
                    BreakerBoard board,
                    Readers readers,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    var scope = await readers.ScopeOfAsync(http.User, ct);
                    var now = clock.GetUtcNow();
                    return Results.Ok(
                        board
                            .All.Where(b => b.State == BreakerStates.Open || b.Override?.Until > now)
                            .Where(b => scope.MaySeeSubject(b.ScopeType, b.ScopeId))
                            .OrderBy(b => b.ScopeType, StringComparer.Ordinal)
                            .ThenBy(b => b.ScopeId, StringComparer.Ordinal)
                            .Select(b => b.ToInfo())
                            .ToList()
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("ListBreakers")
            .Produces<IReadOnlyList<BreakerInfo>>();

        app.MapGet(
                "/v1/breakers/{user}",
                async (string user, HttpContext http, BreakerBoard board, Readers readers, CancellationToken ct) =>
                {
                    if (!(await readers.ScopeOfAsync(http.User, ct)).MaySeeUser(user))
                        return Readers.Forbidden($"'{user}'");
                    var breaker = board.Of("user", user);
                    return Results.Ok(
                        breaker is null
                            ? new BreakerStatus("closed", null, null, null, null)
                            : new BreakerStatus(
                                breaker.State,
                                breaker.Reason,
                                breaker.Since,
                                breaker.Until,
                                breaker.Override?.ToView()
                            )
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetBreaker")
            .Produces<BreakerStatus>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapPost(
                "/v1/breakers/{user}/override",
                async (
                    string user,
                    HttpContext http,
                    IDocumentSession session,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    return await JsonBody.HandleObjectAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var errors = new ValidationErrors();
                            if (TextRules.Problem(user) is { } userProblem)
                                errors.Add("user", userProblem);
                            var f = new JsonFields(root, "", errors);
                            var by = f.Text("by", required: true);
                            var until = f.Timestamp("until", required: true);
                            var reason = f.Text("reason", 2000, required: true);
                            var now = clock.GetUtcNow();
                            if (until is { } end && end <= now)
                                f.Fail("until", "must be in the future");
                            if (errors.Any)
                                return errors.ToProblem();

                            session.Events.Append(
                                $"override:{user}:{now.UtcTicks}",
                                new BreakerOverrideRequested(
                                    "user",
                                    user,
                                    new BreakerOverride(by!, until!.Value, reason!),
                                    now
                                )
                            );
                            audit.Record(
                                session,
                                http.User,
                                AdminActionKinds.BreakerOverridden,
                                $"user:{user}",
                                new { until, reason },
                                person: by
                            );
                            await session.SaveChangesAsync(ct);
                            return Results.Accepted($"/v1/breakers/{Uri.EscapeDataString(user)}");
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("OverrideBreaker");
    }

    /// <summary>
    /// Whether the caller hears why a user is stopped (the breaker and its reason, which can name spend): a key that
    /// speaks for everyone (a gateway), the user's own key, or a key of the user's team. Anyone else learns only yes or no.
    /// </summary>
    public static bool MayHearWhy(KeyBinding caller, string user, BreakerBoard board) =>
        !caller.IsBound || caller.User == user || (board.TeamOf(user) is { } team && caller.Teams.Contains(team));
}

/// <summary>The SDK's shapes of a breaker: what a reader sees, never the message's signature.</summary>
internal static class BreakerViews
{
    public static BreakerInfo ToInfo(this BreakerChanged breaker) =>
        new(
            breaker.ScopeType,
            breaker.ScopeId,
            breaker.State,
            breaker.Reason,
            breaker.Since,
            breaker.Until,
            breaker.Override?.ToView(),
            breaker.Version
        );

    public static BreakerOverrideView ToView(this BreakerOverride @override) =>
        new(@override.By, @override.Until, @override.Reason);
}
