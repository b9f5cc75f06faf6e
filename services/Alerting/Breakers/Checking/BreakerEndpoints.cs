using System.Text.Json.Serialization;
using Marten;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Alerting.Breakers.Checking;

/// <summary>Always all three fields, nulls included: a gateway reads a fixed shape.</summary>
public sealed record CheckAnswer(
    bool Allow,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] BreakerChanged? Breaker);

public sealed record BreakerView(string State, string? Reason, DateTimeOffset? Since, DateTimeOffset? Until, BreakerOverride? Override);

/// <summary>
/// GET /v1/check?user=&amp;team=&amp;model= (any key): may this user spend now? Answered from this instance's
/// memory. GET /v1/breakers/{user} (read) and POST /v1/breakers/{user}/override {by, until, reason} (admin).
/// </summary>
internal static class BreakerEndpoints
{
    public static void MapBreakers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/check", (string? user, string? team, string? model, BreakerBoard board, TimeProvider clock) =>
            {
                if (string.IsNullOrWhiteSpace(user))
                {
                    var errors = new ValidationErrors();
                    errors.Add("user", "is required");
                    return errors.ToProblem();
                }
                // The model is accepted for the gateway's convenience; breakers are per user, team and org today.
                var blocking = board.Blocking(user, string.IsNullOrWhiteSpace(team) ? null : team, clock.GetUtcNow());
                return Results.Ok(blocking is null
                    ? new CheckAnswer(true, null, null)
                    : new CheckAnswer(false, $"{blocking.ScopeType} {blocking.ScopeId}: {blocking.Reason}", blocking));
            })
            // A gateway asks before every request, so the per-key rate limit would throttle its users' traffic; the
            // answer comes from memory and costs microseconds.
            .RequireAuthorization().DisableRateLimiting().WithName("Check").Produces<CheckAnswer>();

        app.MapGet("/v1/breakers/{user}", (string user, BreakerBoard board) =>
            {
                var breaker = board.Of("user", user);
                return Results.Ok(breaker is null
                    ? new BreakerView("closed", null, null, null, null)
                    : new BreakerView(breaker.State, breaker.Reason, breaker.Since, breaker.Until, breaker.Override));
            })
            .RequireAuthorization(Scopes.Read).WithName("GetBreaker").Produces<BreakerView>();

        app.MapPost("/v1/breakers/{user}/override", async (string user, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
            {
                var (document, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
                if (problem is not null) return problem;
                using var body = document;
                var errors = new ValidationErrors();
                if (TextRules.Problem(user) is { } userProblem) errors.Add("user", userProblem);
                var f = new JsonFields(body!.RootElement, "", errors);
                var by = f.Text("by", required: true);
                var until = f.Timestamp("until", required: true);
                var reason = f.Text("reason", 2000, required: true);
                var now = clock.GetUtcNow();
                if (until is { } end && end <= now) f.Fail("until", "must be in the future");
                if (errors.Any) return errors.ToProblem();

                session.Events.Append($"override:{user}:{now.UtcTicks}", new BreakerOverrideRequested("user", user, new BreakerOverride(by!, until!.Value, reason!), now));
                await session.SaveChangesAsync(ct);
                return Results.Accepted($"/v1/breakers/{Uri.EscapeDataString(user)}");
            })
            .RequireAuthorization(Scopes.Admin).WithName("OverrideBreaker");
    }
}
