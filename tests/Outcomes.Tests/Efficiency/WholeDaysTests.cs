using Tokenwise.Outcomes.Efficiency;

namespace Tokenwise.Outcomes.Tests.Efficiency;

public sealed class WholeDaysTests
{
    private static DateTimeOffset At(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static (DateOnly First, DateOnly End, DateTime WholeFrom, DateTime WholeTo) Split(string from, string to)
    {
        var p = EfficiencyFactsReader.WholeDays(At(from), At(to));
        return ((DateOnly)p["first_day"], (DateOnly)p["end_day"], (DateTime)p["whole_from"], (DateTime)p["whole_to"]);
    }

    [Fact]
    public void A_range_of_whole_days_is_read_from_the_daily_table_alone()
    {
        var (first, end, wholeFrom, wholeTo) = Split("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)), (first, end));
        // Both part-days are empty: [from, whole_from) and [whole_to, to).
        Assert.Equal(At("2026-11-01T00:00:00Z").UtcDateTime, wholeFrom);
        Assert.Equal(At("2026-12-01T00:00:00Z").UtcDateTime, wholeTo);
    }

    [Fact]
    public void A_range_starting_and_ending_inside_days_reads_its_part_days_from_the_facts()
    {
        var (first, end, wholeFrom, wholeTo) = Split("2026-11-24T09:30:00Z", "2026-12-01T09:30:00Z");
        Assert.Equal((new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 1)), (first, end));
        Assert.Equal(At("2026-11-25T00:00:00Z").UtcDateTime, wholeFrom);
        Assert.Equal(At("2026-12-01T00:00:00Z").UtcDateTime, wholeTo);
    }

    [Fact]
    public void A_range_inside_one_day_or_across_one_midnight_is_read_from_the_facts_alone()
    {
        foreach (
            var (from, to) in new[]
            {
                ("2026-11-24T01:00:00Z", "2026-11-24T05:00:00Z"),
                ("2026-11-24T23:00:00Z", "2026-11-25T01:00:00Z"),
            }
        )
        {
            var (first, end, wholeFrom, wholeTo) = Split(from, to);
            Assert.Equal(first, end);
            Assert.Equal(At(from).UtcDateTime, wholeFrom);
            Assert.Equal(At(from).UtcDateTime, wholeTo);
        }
    }

    [Fact]
    public void An_offset_is_read_as_the_UTC_instant_it_names()
    {
        var (first, end, _, _) = Split("2026-11-01T01:00:00+01:00", "2026-11-03T00:00:00Z");
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 3)), (first, end));
    }

    [Theory]
    [InlineData("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", false)]
    [InlineData("2026-11-01T00:00:00Z", "2026-12-01T09:30:00Z", true)]
    [InlineData("2026-11-24T09:30:00Z", "2026-12-01T00:00:00Z", true)]
    [InlineData("2026-11-24T01:00:00Z", "2026-11-24T05:00:00Z", true)]
    public void The_facts_are_read_only_when_a_range_has_a_part_day(string from, string to, bool readsFacts)
    {
        Assert.Equal(readsFacts, EfficiencyFactsReader.HasPartDays(At(from), At(to)));
    }
}
