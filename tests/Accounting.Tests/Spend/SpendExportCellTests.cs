using Tokenwise.Accounting.Spend;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Tests.Spend;

public sealed class SpendExportCellTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("", "")]
    public void Names_a_spreadsheet_would_run_as_a_formula_are_kept_as_text(string name, string cell) =>
        Assert.Equal(cell, Cell.Text(name));

    [Fact]
    public void Fields_with_commas_quotes_or_line_breaks_are_quoted() =>
        Assert.Equal("\"a,\"\"b\"\"\"", Cell.Field("a,\"b\""));

    [Fact]
    public void Token_counts_that_would_overflow_when_summed_throw_instead_of_wrapping()
    {
        var huge = new TokenCounts(5_000_000_000_000_000_000, 0, 0, 0, 0, 0);
        Assert.Throws<OverflowException>(() => huge.Add(huge));
    }
}
