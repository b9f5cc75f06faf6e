namespace Tokenwise.Outcomes.Quality;

/// <summary>When AI-assisted changes fail more often than the others by enough, on enough changes, to say so.</summary>
public sealed record QualityRegressionRule(decimal MarginPercentagePoints = 10m, int MinimumSample = 10)
{
    /// <summary>
    /// A regression: both groups have at least <see cref="MinimumSample"/> merged PRs, and the AI-assisted rate
    /// exceeds the other rate by more than the margin (in percentage points). Exactly at the margin is not one.
    /// </summary>
    public bool IsRegression(FailureRates rates) =>
        rates.AiAssisted.Merged >= MinimumSample
        && rates.Other.Merged >= MinimumSample
        && (rates.AiAssisted.Rate!.Value - rates.Other.Rate!.Value) * 100m > MarginPercentagePoints;
}
