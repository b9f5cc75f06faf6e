using System.Text.Json;

namespace Tokenwise.Simulator;

/// <summary>One request's tokens per bucket, as the simulator meant them (before any provider's shape).</summary>
public sealed record Buckets(
    long Input,
    long CacheRead,
    long CacheWrite,
    long CacheWrite1h,
    long Output,
    long Reasoning
)
{
    public long Prompt => Input + CacheRead + CacheWrite + CacheWrite1h;
}

/// <summary>
/// The ground truth's own reading of the price book file — written apart from Accounting's code on purpose, so the
/// end-to-end test compares two independent computations: each bucket at the rate in effect at the request's time,
/// long-context rates for every bucket when the prompt exceeds the threshold, missing cache rates at the input rate.
/// </summary>
public sealed class PriceFile
{
    private sealed record Rates(
        decimal Input,
        decimal CacheRead,
        decimal CacheWrite,
        decimal CacheWrite1h,
        decimal Output
    );

    private sealed record Entry(
        string Provider,
        string Model,
        DateTimeOffset From,
        Rates Rates,
        long? Threshold,
        Rates? Long
    );

    private readonly List<Entry> _entries;

    private PriceFile(List<Entry> entries) => _entries = entries;

    public static PriceFile Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var entries = json
            .RootElement.GetProperty("prices")
            .EnumerateArray()
            .Select(p => new Entry(
                p.GetProperty("provider").GetString()!,
                p.GetProperty("model").GetString()!,
                p.GetProperty("effectiveFrom").GetDateTimeOffset(),
                RatesOf(p),
                p.TryGetProperty("longContextThresholdTokens", out var t) ? t.GetInt64() : null,
                p.TryGetProperty("longContext", out var l) ? RatesOf(l) : null
            ))
            .ToList();
        return new PriceFile(entries);
    }

    public bool Knows(string provider, string model) => _entries.Any(e => e.Provider == provider && e.Model == model);

    /// <summary>The exact cost in USD; 0 for a model the file does not list.</summary>
    public decimal Cost(string provider, string model, DateTimeOffset at, Buckets tokens)
    {
        var entry = _entries.Where(e => e.Provider == provider && e.Model == model && e.From <= at).MaxBy(e => e.From);
        if (entry is null)
            return 0m;
        var rates = entry.Long is not null && tokens.Prompt > entry.Threshold ? entry.Long : entry.Rates;
        return (
                tokens.Input * rates.Input
                + tokens.CacheRead * rates.CacheRead
                + tokens.CacheWrite * rates.CacheWrite
                + tokens.CacheWrite1h * rates.CacheWrite1h
                + tokens.Output * rates.Output
            ) / 1_000_000m;
    }

    private static Rates RatesOf(JsonElement p)
    {
        var input = p.GetProperty("inputPerMTok").GetDecimal();
        decimal Or(string name) => p.TryGetProperty(name, out var v) ? v.GetDecimal() : input;
        return new Rates(
            input,
            Or("cacheReadPerMTok"),
            Or("cacheWritePerMTok"),
            Or("cacheWrite1hPerMTok"),
            p.GetProperty("outputPerMTok").GetDecimal()
        );
    }
}
