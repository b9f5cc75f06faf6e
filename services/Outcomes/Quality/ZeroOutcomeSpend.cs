namespace Tokenwise.Outcomes.Quality;

/// <summary>
/// Spend that produced nothing: over <see cref="Window"/>, a user's or team's spend is above
/// <see cref="FloorUsd"/> and none of it is attributed to a merged PR. Exactly at the floor is not above it.
/// </summary>
public sealed record ZeroOutcomeSpendRule(decimal FloorUsd, TimeSpan Window)
{
    public static readonly ZeroOutcomeSpendRule Default = new(50m, TimeSpan.FromDays(7));

    public bool Detects(decimal spendUsd, decimal attributedSpendUsd) =>
        spendUsd > FloorUsd && attributedSpendUsd == 0m;
}
