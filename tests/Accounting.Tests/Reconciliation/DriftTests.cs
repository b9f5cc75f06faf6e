using System.Globalization;
using Tokenwise.Accounting.Reconciliation;

namespace Tokenwise.Accounting.Tests.Reconciliation;

public sealed class DriftTests
{
    [Theory]
    [InlineData("2.00", "2.10", "5.00")]
    [InlineData("2.00", "1.90", "-5.00")]
    [InlineData("3", "4", "33.33")]
    [InlineData("3", "3", "0")]
    public void Drift_is_the_reported_cost_against_ours_in_percent_to_two_places(
        string ours,
        string theirs,
        string percent
    ) =>
        Assert.Equal(
            decimal.Parse(percent, CultureInfo.InvariantCulture),
            ReconciliationReader.DriftPercent(
                decimal.Parse(ours, CultureInfo.InvariantCulture),
                decimal.Parse(theirs, CultureInfo.InvariantCulture)
            )
        );

    [Fact]
    public void Usage_we_priced_at_nothing_has_no_drift_percentage_whatever_was_reported() =>
        Assert.Null(ReconciliationReader.DriftPercent(0m, 1.5m));
}
