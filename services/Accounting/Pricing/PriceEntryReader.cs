using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Pricing;

/// <summary>Reads and checks a price as PUT /v1/prices/{provider}/{model} takes it; every rate is USD per million tokens.</summary>
internal static class PriceEntryReader
{
    /// <summary>A price per million tokens above this is a typo, not a price (the dearest models cost a few hundred dollars).</summary>
    public const decimal MaxRatePerMTok = 100_000m;
    public const long MaxThresholdTokens = 100_000_000;

    public static PriceEntry? Read(JsonElement body, string provider, string model, ValidationErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "must be a JSON object");
            return null;
        }
        if (TextRules.Problem(provider, 50) is { } providerProblem)
            errors.Add("provider", providerProblem);
        if (TextRules.Problem(model) is { } modelProblem)
            errors.Add("model", modelProblem);
        var f = new JsonFields(body, "", errors);
        var effectiveFrom = f.Timestamp("effectiveFrom", required: true);
        var rates = ReadRates(f, required: true);
        var threshold = f.Has("longContextThresholdTokens")
            ? f.Count("longContextThresholdTokens", MaxThresholdTokens)
            : (long?)null;
        LongContextRates? longContext = null;
        if (f.TryGet("longContext", out var lc))
        {
            if (lc.ValueKind != JsonValueKind.Object)
                f.Fail("longContext", "must be an object of rates");
            else if (ReadRates(new JsonFields(lc, "longContext.", errors), required: true) is { } r)
                longContext = new LongContextRates(
                    r.InputPerMTok,
                    r.OutputPerMTok,
                    r.CacheReadPerMTok,
                    r.CacheWritePerMTok,
                    r.CacheWrite1hPerMTok,
                    r.ReasoningPerMTok
                );
        }
        if ((threshold is null) != (longContext is null))
            f.Fail("longContext", "longContextThresholdTokens and longContext go together");
        if (errors.Any || rates is null)
            return null;
        return new PriceEntry(
            provider.ToLowerInvariant(),
            ModelNames.Normalize(model),
            effectiveFrom!.Value,
            rates.InputPerMTok,
            rates.OutputPerMTok,
            rates.CacheReadPerMTok,
            rates.CacheWritePerMTok,
            rates.CacheWrite1hPerMTok,
            rates.ReasoningPerMTok,
            threshold,
            longContext
        );
    }

    private static Rates? ReadRates(JsonFields f, bool required)
    {
        decimal? Rate(string field, bool isRequired)
        {
            var value = f.Money(field, MaxRatePerMTok);
            if (value is null && isRequired && !f.Has(field))
                f.Fail(field, "is required (USD per million tokens)");
            return value;
        }
        var input = Rate("inputPerMTok", required);
        var output = Rate("outputPerMTok", required);
        var cacheRead = Rate("cacheReadPerMTok", false);
        var cacheWrite = Rate("cacheWritePerMTok", false);
        var cacheWrite1h = Rate("cacheWrite1hPerMTok", false);
        var reasoning = Rate("reasoningPerMTok", false);
        // Unset cache rates default to the input rate: never cheaper than it should be without being told.
        return input is null || output is null
            ? null
            : new Rates(
                input.Value,
                output.Value,
                cacheRead ?? input.Value,
                cacheWrite ?? input.Value,
                cacheWrite1h ?? cacheWrite ?? input.Value,
                reasoning
            );
    }
}
