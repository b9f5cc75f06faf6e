using Tokenwise.Accounting.Spend.QueryingSpend;

namespace Tokenwise.Accounting.Adoption;

/// <summary>An adoption question: by team or for the organisation, per day, week or month, over a range of days.</summary>
public sealed record AdoptionQuery(string GroupBy, string Interval, SpendQuery Range)
{
    public static readonly IReadOnlySet<string> Intervals = new HashSet<string> { "day", "week", "month" };

    public static (AdoptionQuery? Query, Dictionary<string, string[]> Errors) Parse(
        string? groupBy,
        string? interval,
        string? from,
        string? to,
        string? timeZone,
        DateTimeOffset now
    )
    {
        var (range, errors) = SpendQuery.Parse("user", from, to, null, timeZone, now);
        groupBy ??= AdoptionFigures.ByTeam;
        if (groupBy is not (AdoptionFigures.ByTeam or AdoptionFigures.ByOrg))
            errors["groupBy"] = ["must be team or org"];
        interval ??= "week";
        if (!Intervals.Contains(interval))
            errors["interval"] = ["must be day, week or month"];
        return errors.Count > 0 || range is null
            ? (null, errors)
            : (new AdoptionQuery(groupBy, interval, range with { Interval = interval }), errors);
    }
}
