using System.Globalization;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Outcomes.Efficiency;

/// <summary>
/// GET /v1/efficiency?groupBy=user|team|repo&amp;from&amp;to (UTC days, inclusive; default the last 30 days) and
/// GET /v1/valueboard?period=week|month&amp;groupBy=user|team (the current UTC week from Monday, or month).
/// </summary>
internal static class EfficiencyEndpoints
{
    /// <summary>The widest range one answer reads (as for spend): its work grows with the PRs and spend in it.</summary>
    public const int MaxDays = 400;

    public static void MapEfficiency(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/v1/efficiency",
                async (
                    HttpContext http,
                    EfficiencyFactsReader reader,
                    Readers readers,
                    TimeProvider clock,
                    string? groupBy,
                    string? from,
                    string? to,
                    CancellationToken ct
                ) =>
                {
                    var errors = new Dictionary<string, string[]>();
                    var grouping = groupBy ?? "team";
                    if (!EfficiencyReports.Groupings.Contains(grouping))
                        errors["groupBy"] = ["must be user, team or repo"];
                    var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                    var toDay = Day(to, "to", errors) ?? today;
                    var fromDay = Day(from, "from", errors) ?? toDay.AddDays(-29);
                    if (fromDay > toDay)
                        errors["from"] = ["must not be after to"];
                    else if (toDay.DayNumber - fromDay.DayNumber >= MaxDays)
                        errors["from"] = [$"the range may span at most {MaxDays} days"];
                    if (errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    var facts = (await reader.ReadAsync(Start(fromDay), Start(toDay.AddDays(1)), ct)).Within(
                        await readers.ScopeOfAsync(http.User, ct)
                    );
                    return Results.Ok(
                        new EfficiencyReport(grouping, fromDay, toDay, EfficiencyReports.Rows(facts, grouping))
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetEfficiency")
            .Produces<EfficiencyReport>()
            .ProducesValidationProblem();

        app.MapGet(
                "/v1/valueboard",
                async (
                    HttpContext http,
                    EfficiencyFactsReader reader,
                    Readers readers,
                    TimeProvider clock,
                    string? period,
                    string? groupBy,
                    CancellationToken ct
                ) =>
                {
                    var errors = new Dictionary<string, string[]>();
                    var kind = period ?? "week";
                    var grouping = groupBy ?? "user";
                    if (kind is not ("week" or "month"))
                        errors["period"] = ["must be week or month"];
                    if (grouping is not ("user" or "team"))
                        errors["groupBy"] = ["must be user or team"];
                    if (errors.Count > 0)
                        return Results.ValidationProblem(errors);
                    var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                    var first =
                        kind == "week"
                            ? today.AddDays(-(((int)today.DayOfWeek + 6) % 7))
                            : new DateOnly(today.Year, today.Month, 1);
                    var next = kind == "week" ? first.AddDays(7) : first.AddMonths(1);
                    var facts = (await reader.ReadAsync(Start(first), Start(next), ct)).Within(
                        await readers.ScopeOfAsync(http.User, ct)
                    );
                    return Results.Ok(
                        new ValueboardReport(
                            kind,
                            grouping,
                            Start(first),
                            Start(next),
                            EfficiencyReports.Valueboard(facts, grouping)
                        )
                    );
                }
            )
            .RequireAuthorization(Scopes.Read)
            .WithName("GetValueboard")
            .Produces<ValueboardReport>()
            .ProducesValidationProblem();
    }

    internal static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    internal static DateOnly? Day(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors[field] = ["must be a date, yyyy-MM-dd"];
        return null;
    }
}
