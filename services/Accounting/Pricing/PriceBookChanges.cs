namespace Tokenwise.Accounting.Pricing;

/// <summary>A model's price was set from a date on (by an admin or an import); the price book is a fold of these.</summary>
public sealed record ModelPriceSet(PriceEntry Price, string Source, string Version, DateTimeOffset SetAt);

/// <summary>A provider's negotiated discount (percent off list prices) from a date on.</summary>
public sealed record ProviderDiscountSet(
    string Provider,
    decimal Percent,
    DateTimeOffset EffectiveFrom,
    long BookVersion,
    DateTimeOffset SetAt
);

public static class PriceBookStream
{
    public const string Key = "price-book";
}
