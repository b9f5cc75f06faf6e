using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend;

/// <summary>One user's charged usage on one UTC day: a projection of <see cref="UsageCharged"/>, rebuildable.</summary>
public sealed class DailyUserSpend
{
    public string Id { get; set; } = "";
    public string User { get; set; } = "";
    public DateOnly Day { get; set; }
    public long Requests { get; set; }
    public TokenCounts Tokens { get; set; } = TokenCounts.Zero;
    public BucketCosts Cost { get; set; } = BucketCosts.Zero;

    public static string IdFor(string user, DateOnly day) => $"{user}|{day:yyyy-MM-dd}";

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
