using System.Text.Json;
using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Audit;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Budgets;

/// <summary>
/// PUT /v1/budgets/{scopeType}/{scopeId} (admin) {amountUsd, period, timeZone, thresholdsPercent, hardLimit}.
/// Defaults where silent: period month, time zone UTC, thresholds 50/80/100, no hard limit.
/// </summary>
internal static class SetBudgetEndpoint
{
    private static readonly HashSet<string> ScopeTypes = ["user", "team", "org"];

    /// <summary>A thousand million dollars a period: far above any budget, far below what its sums could overflow.</summary>
    public const decimal MaxAmountUsd = 1_000_000_000m;

    public static void MapSetBudget(this IEndpointRouteBuilder app) =>
        app.MapPut(
                "/v1/budgets/{scopeType}/{scopeId}",
                async (
                    string scopeType,
                    string scopeId,
                    HttpContext http,
                    IDocumentSession session,
                    BudgetSpend spend,
                    AdminActions audit,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    return await JsonBody.HandleAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var errors = new ValidationErrors();
                            if (!ScopeTypes.Contains(scopeType))
                                errors.Add("scopeType", "must be user, team or org");
                            if (scopeId.Length == 0)
                                errors.Add("scopeId", "is required");
                            else if (TextRules.Problem(scopeId) is { } scopeProblem)
                                errors.Add("scopeId", scopeProblem);
                            if (root.ValueKind != JsonValueKind.Object)
                                errors.Add("$", "must be a JSON object");
                            if (errors.Any)
                                return errors.ToProblem();

                            var f = new JsonFields(root, "", errors);
                            var amount = f.Money("amountUsd", MaxAmountUsd);
                            if (amount is null or 0 && !errors.ToDictionary().ContainsKey("amountUsd"))
                                f.Fail("amountUsd", "is required and must be more than 0");
                            var period = f.Text("period", 10) ?? "month";
                            if (!BudgetPeriods.Kinds.Contains(period))
                                f.Fail("period", "must be day, week or month");
                            var timeZone = f.Text("timeZone", 100) ?? "UTC";
                            if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
                                f.Fail("timeZone", "must be an IANA time zone such as Europe/Berlin");
                            var thresholds = ReadThresholds(f);
                            var hardLimit = f.Flag("hardLimit") ?? false;
                            if (errors.Any)
                                return errors.ToProblem();

                            var set = new BudgetSet(
                                scopeType,
                                scopeId,
                                amount!.Value,
                                period,
                                timeZone,
                                thresholds,
                                hardLimit,
                                clock.GetUtcNow()
                            );
                            session.Events.Append(Budget.StreamKey(scopeType, scopeId), set);
                            audit.Record(
                                session,
                                http.User,
                                AdminActionKinds.BudgetSet,
                                $"{scopeType}:{scopeId}",
                                new
                                {
                                    set.AmountUsd,
                                    set.Period,
                                    set.TimeZone,
                                    set.ThresholdsPercent,
                                    set.HardLimit,
                                }
                            );
                            await session.SaveChangesAsync(ct);
                            var budget = (await session.LoadAsync<Budget>(Budget.StreamKey(scopeType, scopeId), ct))!;
                            return Results.Ok(await spend.StatusAsync(budget, clock.GetUtcNow(), ct));
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Admin)
            .WithName("SetBudget")
            .Produces<BudgetView>()
            .ProducesValidationProblem();

    private static IReadOnlyList<int> ReadThresholds(JsonFields f)
    {
        if (!f.TryGet("thresholdsPercent", out var value))
            return [50, 80, 100];
        if (
            value.ValueKind == JsonValueKind.Array
            && value.GetArrayLength() is > 0 and <= 10
            && value
                .EnumerateArray()
                .All(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var p) && p is > 0 and <= 1000)
        )
            return value.EnumerateArray().Select(v => v.GetInt32()).Distinct().Order().ToList();
        f.Fail("thresholdsPercent", "must be 1 to 10 whole percentages between 1 and 1000");
        return [];
    }
}
