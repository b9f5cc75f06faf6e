using Tokenwise.Outcomes.Quality;

namespace Tokenwise.Outcomes.Tests.Quality;

public sealed class ZeroOutcomeSpendTests
{
    private static readonly ZeroOutcomeSpendRule Rule = new(50m, TimeSpan.FromDays(7));

    [Theory]
    [InlineData(50.01, 0, true)]
    [InlineData(50.00, 0, false)] // at the floor, not above it
    [InlineData(400.00, 0.01, false)] // some of it produced a merged PR
    public void Spend_above_the_floor_with_nothing_attributed_is_detected(
        decimal spend,
        decimal attributed,
        bool expected
    ) => Assert.Equal(expected, Rule.Detects(spend, attributed));
}
