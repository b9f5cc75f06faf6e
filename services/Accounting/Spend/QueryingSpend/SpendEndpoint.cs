using System.Globalization;
using Marten;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.QueryingSpend;

/// <summary>GET /v1/spend?groupBy=user&amp;from=&amp;to= — from and to are UTC dates, both inclusive.</summary>
internal static class SpendEndpoint
{
    public const int DefaultDays = 30;

    public static void MapSpendQueries(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/spend", Handle)
            .RequireAuthorization(Scopes.Read)
            .WithName("GetSpend")
            .Produces<SpendReport>()
            .ProducesValidationProblem();

    private static async Task<IResult> Handle(
        IQuerySession session, TimeProvider clock, string? groupBy, string? from, string? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (groupBy is not null && groupBy != "user") errors["groupBy"] = ["must be user"];
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var toDay = ParseDay(to, "to", errors) ?? today;
        var fromDay = ParseDay(from, "from", errors) ?? toDay.AddDays(-DefaultDays + 1);
        if (fromDay > toDay) errors["from"] = ["must not be after to"];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var days = await session.Query<DailyUserSpend>()
            .Where(d => d.Day >= fromDay && d.Day <= toDay)
            .ToListAsync(ct);
        var rows = days.GroupBy(d => d.User)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SpendRow(new Dictionary<string, string> { ["user"] = g.Key }, Sum(g)))
            .ToList();
        return Results.Ok(new SpendReport("user", fromDay, toDay, rows, Sum(days)));
    }

    private static SpendFigures Sum(IEnumerable<DailyUserSpend> days)
    {
        long requests = 0;
        var tokens = TokenCounts.Zero;
        var cost = BucketCosts.Zero;
        foreach (var day in days)
        {
            requests += day.Requests;
            tokens = tokens.Add(day.Tokens);
            cost = cost.Add(day.Cost);
        }
        return new SpendFigures(requests, tokens, cost, cost.Total);
    }

    private static DateOnly? ParseDay(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[field] = ["must be a date, yyyy-MM-dd"];
        return null;
    }
}
