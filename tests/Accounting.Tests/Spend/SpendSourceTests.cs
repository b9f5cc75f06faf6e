using Tokenwise.Accounting.Spend.QueryingSpend;

namespace Tokenwise.Accounting.Tests.Spend;

public sealed class SpendSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static string TableFor(string? interval, string? timeZone)
    {
        var (query, errors) = SpendQuery.Parse("team", "2026-11-01", "2026-11-30", interval, timeZone, Now);
        Assert.Empty(errors);
        return query!.Source.Table;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    public void Whole_UTC_days_are_read_from_the_daily_table(string? interval) =>
        Assert.Equal("spend_daily", TableFor(interval, null));

    [Fact]
    public void An_hourly_split_is_read_from_the_hourly_table() => Assert.Equal("spend_hourly", TableFor("hour", null));

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    // No offset in winter, an hour in summer: its days are not UTC days all year.
    [InlineData("Europe/London")]
    public void A_zone_whose_days_are_not_UTC_days_is_read_from_the_hourly_table(string zone) =>
        Assert.Equal("spend_hourly", TableFor("day", zone));

    [Fact]
    public void A_zone_without_an_offset_reads_UTC_days() => Assert.Equal("spend_daily", TableFor("day", "Etc/UTC"));
}
