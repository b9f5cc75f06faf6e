using System.Text.Json;
using Tokenwise.Client.Models;

namespace Tokenwise.Accounting.Pricing;

/// <summary>
/// The default price book shipped in the repository (default-price-book.json) and the shape a price is written in
/// everywhere: the file, PUT /v1/prices and GET /v1/prices.
/// </summary>
public sealed record PriceEntry(
    string Provider,
    string Model,
    DateTimeOffset EffectiveFrom,
    decimal InputPerMTok,
    decimal OutputPerMTok,
    decimal CacheReadPerMTok,
    decimal CacheWritePerMTok,
    decimal CacheWrite1hPerMTok,
    decimal? ReasoningPerMTok = null,
    long? LongContextThresholdTokens = null,
    LongContextRates? LongContext = null
)
{
    public ModelPrice ToPrice(string version) =>
        new(
            Provider,
            Model,
            EffectiveFrom,
            new Rates(
                InputPerMTok,
                OutputPerMTok,
                CacheReadPerMTok,
                CacheWritePerMTok,
                CacheWrite1hPerMTok,
                ReasoningPerMTok
            ),
            LongContextThresholdTokens,
            LongContext?.ToRates(),
            version
        );

    public PriceEntryView ToView() =>
        new(
            Provider,
            Model,
            EffectiveFrom,
            InputPerMTok,
            OutputPerMTok,
            CacheReadPerMTok,
            CacheWritePerMTok,
            CacheWrite1hPerMTok,
            ReasoningPerMTok,
            LongContextThresholdTokens,
            LongContext is { } lc
                ? new PriceRates(
                    lc.InputPerMTok,
                    lc.OutputPerMTok,
                    lc.CacheReadPerMTok,
                    lc.CacheWritePerMTok,
                    lc.CacheWrite1hPerMTok,
                    lc.ReasoningPerMTok
                )
                : null
        );

    public static PriceEntry From(ModelPrice price) =>
        new(
            price.Provider,
            price.Model,
            price.EffectiveFrom,
            price.Rates.InputPerMTok,
            price.Rates.OutputPerMTok,
            price.Rates.CacheReadPerMTok,
            price.Rates.CacheWritePerMTok,
            price.Rates.CacheWrite1hPerMTok,
            price.Rates.ReasoningPerMTok,
            price.LongContextThresholdTokens,
            price.LongContext is { } lc
                ? new LongContextRates(
                    lc.InputPerMTok,
                    lc.OutputPerMTok,
                    lc.CacheReadPerMTok,
                    lc.CacheWritePerMTok,
                    lc.CacheWrite1hPerMTok,
                    lc.ReasoningPerMTok
                )
                : null
        );
}

public sealed record LongContextRates(
    decimal InputPerMTok,
    decimal OutputPerMTok,
    decimal CacheReadPerMTok,
    decimal CacheWritePerMTok,
    decimal CacheWrite1hPerMTok,
    decimal? ReasoningPerMTok = null
)
{
    public Rates ToRates() =>
        new(InputPerMTok, OutputPerMTok, CacheReadPerMTok, CacheWritePerMTok, CacheWrite1hPerMTok, ReasoningPerMTok);
}

public static class PriceBookFile
{
    public static readonly string DefaultPath = Path.Combine(
        AppContext.BaseDirectory,
        "Pricing",
        "default-price-book.json"
    );
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record FileShape(List<PriceEntry> Prices);

    public static IReadOnlyList<ModelPrice> Load(string path) =>
        JsonSerializer
            .Deserialize<FileShape>(File.ReadAllText(path), Json)!
            .Prices.Select(e =>
                e.ToPrice($"default:{ModelNames.Key(e.Provider, e.Model)}@{e.EffectiveFrom:yyyy-MM-dd}")
            )
            .ToList();
}
