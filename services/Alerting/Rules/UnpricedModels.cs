using Tokenwise.Alerting.Alerts;

namespace Tokenwise.Alerting.Rules;

/// <summary>The models seen without a price since the last unpriced alert was resolved: how many, and the first few.</summary>
public sealed record UnpricedSighting(int Count, IReadOnlyList<string> FirstModels);

/// <summary>
/// One alert for every model without a price, not one per model: a sender that makes up a thousand model names gets one
/// alert listing a few of them and the count. It counts the models seen since the last such alert was resolved, and
/// follows the count while it is open; like every unpriced alert, a person resolves it (after setting the prices).
/// </summary>
public static class UnpricedModels
{
    public const int Listed = 10;
    public static readonly AlertScope Scope = new("price_book", "unpriced");

    public static AlertSignal? Evaluate(UnpricedSighting sighting, Alert? open, DateTimeOffset now)
    {
        if (sighting.Count == 0 || open?.Observed == sighting.Count)
            return null;
        var more = sighting.Count - sighting.FirstModels.Count;
        return new AlertSignal
        {
            Kind = AlertKinds.Unpriced,
            Scope = Scope,
            At = now,
            Severity = Severities.Info,
            Observed = sighting.Count,
            Threshold = 0,
            Title =
                sighting.Count == 1
                    ? $"Model {sighting.FirstModels[0]} has no price"
                    : $"{sighting.Count} models have no price",
            Detail =
                string.Join(", ", sighting.FirstModels)
                + (more > 0 ? $" and {more} more" : "")
                + ". Their usage counts at $0 until a price is set; it is re-priced then.",
        };
    }
}
