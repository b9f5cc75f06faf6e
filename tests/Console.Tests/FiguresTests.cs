using Tokenwise.Console.Pages.Shared;

namespace Tokenwise.Console.Tests;

public sealed class FiguresTests
{
    [Theory]
    [InlineData(0, "0 people")]
    [InlineData(1, "1 person")]
    [InlineData(2, "2 people")]
    [InlineData(1200, "1,200 people")]
    public void A_count_takes_the_singular_only_for_one(long count, string expected) =>
        Assert.Equal(expected, Figures.Count(count, "person", "people"));

    [Fact]
    public void Dollars_show_to_the_cent_with_the_sign_before_the_symbol() =>
        Assert.Equal("-$1,234.50", Figures.Usd(-1234.5m));
}
