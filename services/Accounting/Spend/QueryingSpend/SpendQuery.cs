using System.Globalization;
using Npgsql;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.QueryingSpend;

/// <summary>
/// A validated spend question: one or two dimensions, an inclusive date range in a time zone, and optionally an
/// interval to split it by. Dates are the zone's calendar days; hours are the zone's hours.
/// </summary>
public sealed record SpendQuery(
    IReadOnlyList<string> GroupBy,
    DateOnly From,
    DateOnly To,
    TimeZoneInfo Zone,
    string? Interval
)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 400;

    /// <summary>The most rows one JSON answer holds: a year of days for 25 people, say.</summary>
    public const int MaxRows = 10_000;

    /// <summary>API dimension name → column of spend_hourly.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dimensions = new Dictionary<string, string>
    {
        ["user"] = "user_id",
        ["team"] = "team",
        ["model"] = "model",
        ["provider"] = "provider",
        ["tool"] = "tool",
        ["repo"] = "repo",
    };

    public static readonly IReadOnlySet<string> Intervals = new HashSet<string> { "hour", "day", "week", "month" };

    /// <summary>A reader's time zone: UTC when none is given; an unknown one is an error naming <c>timeZone</c>.</summary>
    public static TimeZoneInfo ParseZone(string? timeZone, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(timeZone))
            return TimeZoneInfo.Utc;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
            return zone;
        errors["timeZone"] = ["must be an IANA time zone such as Europe/Berlin"];
        return TimeZoneInfo.Utc;
    }

    /// <summary>How a period is named in answers: its first day, or its first hour for hourly periods.</summary>
    public static string PeriodLabel(DateTime start, string interval) =>
        interval == "hour"
            ? start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)
            : start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Only this person's figures (within what the reader may see anyway).</summary>
    public string? User { get; init; }

    /// <summary>Only the figures filed under this team (within what the reader may see anyway).</summary>
    public string? Team { get; init; }

    /// <summary>The SQL that narrows a spend_hourly read to <see cref="User"/> and <see cref="Team"/>; empty without them.</summary>
    public string FilterSql =>
        (User is null ? "" : " and user_id = @only_user") + (Team is null ? "" : " and team = @only_team");

    /// <summary>A command over this range: @from, @to and @zone, and the reader's limits (<see cref="ReaderScope.Sql"/>).</summary>
    public NpgsqlCommand Command(string sql, NpgsqlConnection connection, ReaderScope scope)
    {
        var command = new NpgsqlCommand(sql, connection);
        if (User is not null)
            command.Parameters.AddWithValue("only_user", User);
        if (Team is not null)
            command.Parameters.AddWithValue("only_team", Team);
        command.Parameters.AddWithValue("from", FromInstant.UtcDateTime);
        command.Parameters.AddWithValue("to", ToInstantExclusive.UtcDateTime);
        command.Parameters.AddWithValue("zone", Zone.Id);
        scope.AddTo(command);
        return command;
    }

    /// <summary>
    /// Where the answer is read from: <c>spend_daily</c> when its periods are whole UTC days (a zone without an offset,
    /// no hourly split), else <c>spend_hourly</c>; and the table's time column.
    /// </summary>
    public (string Table, string Time) Source =>
        Interval != "hour" && Zone.BaseUtcOffset == TimeSpan.Zero && !Zone.SupportsDaylightSavingTime
            ? (DailySpendTable.Name, "day")
            : (HourlySpendTable.Name, "hour");

    public DateTimeOffset FromInstant => StartOf(From);
    public DateTimeOffset ToInstantExclusive => StartOf(To.AddDays(1));

    private DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public static (SpendQuery? Query, Dictionary<string, string[]> Errors) Parse(
        string? groupBy,
        string? from,
        string? to,
        string? interval,
        string? timeZone,
        DateTimeOffset now
    )
    {
        var errors = new Dictionary<string, string[]>();
        var dims = (groupBy ?? "user")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        if (
            dims.Count is 0 or > 2
            || dims.Any(d => !Dimensions.ContainsKey(d))
            || dims.Distinct().Count() != dims.Count
        )
            errors["groupBy"] = ["must be one or two of user, team, model, provider, tool, repo (comma separated)"];
        var zone = ParseZone(timeZone, errors);
        if (interval is not null && !Intervals.Contains(interval))
            errors["interval"] = ["must be hour, day, week or month"];
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var toDay = ParseDay(to, "to", errors) ?? today;
        var fromDay = ParseDay(from, "from", errors) ?? toDay.AddDays(-DefaultDays + 1);
        if (fromDay > toDay)
            errors["from"] = ["must not be after to"];
        else if (toDay.DayNumber - fromDay.DayNumber >= MaxDays)
            errors["from"] = [$"the range may span at most {MaxDays} days"];
        return errors.Count > 0 ? (null, errors) : (new SpendQuery(dims, fromDay, toDay, zone, interval), errors);
    }

    private static DateOnly? ParseDay(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors[field] = ["must be a date, yyyy-MM-dd"];
        return null;
    }
}
