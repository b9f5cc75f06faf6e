using Tokenwise.Outcomes.Quality;

namespace Tokenwise.Outcomes.Quality.Detecting;

/// <summary>Tokenwise:Detections:* — how often detections run and where their edges are.</summary>
public sealed record DetectionOptions(
    TimeSpan Every,
    ZeroOutcomeSpendRule ZeroOutcome,
    QualityRegressionRule Quality,
    TimeSpan QualityWindow
)
{
    public static DetectionOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Tokenwise:Detections");
        return new DetectionOptions(
            TimeSpan.FromSeconds(section.GetValue("EverySeconds", 60)),
            new ZeroOutcomeSpendRule(
                section.GetValue("ZeroOutcomeFloorUsd", 50m),
                TimeSpan.FromDays(section.GetValue("ZeroOutcomeWindowDays", 7))
            ),
            new QualityRegressionRule(
                section.GetValue("QualityMarginPercentagePoints", 10m),
                section.GetValue("QualityMinimumSample", 10)
            ),
            TimeSpan.FromDays(section.GetValue("QualityWindowDays", 30))
        );
    }
}
