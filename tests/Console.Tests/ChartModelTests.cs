using Tokenwise.Console.Pages.Shared;

namespace Tokenwise.Console.Tests;

public sealed class ChartModelTests
{
    private sealed record Row(string Day, string Team, decimal Usd);

    [Fact]
    public void A_chart_has_one_series_per_group_and_a_gap_where_a_group_has_no_figure()
    {
        Row[] rows = [new("2026-12-01", "b", 2m), new("2026-12-02", "a", 1.5m), new("2026-12-01", "a", 3m)];
        var chart = ChartModel.From("c", "Spend", "line", rows, r => r.Day, r => r.Team, r => r.Usd, "usd");
        Assert.Equal(["2026-12-01", "2026-12-02"], chart.Labels);
        Assert.Equal(["a", "b"], chart.Series.Select(s => s.Name));
        Assert.Equal([3m, 1.5m], chart.Series[0].Values);
        Assert.Equal([2m, null], chart.Series[1].Values);
    }

    [Fact]
    public void Rows_for_the_same_label_and_group_are_added_not_overwritten()
    {
        Row[] rows = [new("d", "a", 0.1m), new("d", "a", 0.2m)];
        var chart = ChartModel.From("c", "Spend", "bar", rows, r => r.Day, r => r.Team, r => r.Usd);
        Assert.Equal([0.3m], chart.Series.Single().Values);
    }

    [Fact]
    public void Money_reads_to_the_cent_with_its_sign_and_nothing_shows_as_a_dash()
    {
        Assert.Equal("$1,234.57", Figures.Usd(1234.565m));
        Assert.Equal("-$0.10", Figures.Usd(-0.1m));
        Assert.Equal("—", Figures.Usd(null));
        Assert.Equal("25 %", Figures.Rate(0.25m));
    }
}
