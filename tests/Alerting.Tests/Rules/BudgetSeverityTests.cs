using Tokenwise.Alerting.Rules;

namespace Tokenwise.Alerting.Tests.Rules;

public sealed class BudgetSeverityTests
{
    [Theory]
    [InlineData(50, Severities.Info)]
    [InlineData(79, Severities.Info)]
    [InlineData(80, Severities.Warning)]
    [InlineData(99, Severities.Warning)]
    [InlineData(100, Severities.Critical)]
    [InlineData(150, Severities.Critical)]
    public void A_budget_threshold_is_info_below_80_warning_from_80_and_critical_from_100(int percent, string severity)
    {
        Assert.Equal(severity, new BudgetRule().SeverityOf(percent));
    }
}
