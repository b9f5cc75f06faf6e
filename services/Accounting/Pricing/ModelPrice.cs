namespace Tokenwise.Accounting.Pricing;

/// <summary>
/// A model's list price from <see cref="EffectiveFrom"/> until the next price of the same model. When a request's
/// prompt (input + cache read + cache writes) exceeds <see cref="LongContextThresholdTokens"/>, every token of it is
/// billed at <see cref="LongContext"/>. <see cref="Version"/> names this price in every charge made with it.
/// </summary>
public sealed record ModelPrice(
    string Provider,
    string Model,
    DateTimeOffset EffectiveFrom,
    Rates Rates,
    long? LongContextThresholdTokens,
    Rates? LongContext,
    string Version
)
{
    public string Key => ModelNames.Key(Provider, Model);
}
