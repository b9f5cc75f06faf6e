using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Accounting.Pricing.ImportingPrices;

/// <summary>
/// LiteLLM's model_prices_and_context_window.json: USD per single token, keyed by model name. Chat-like models with
/// input and output prices become price entries (per million tokens); the rest is skipped and counted.
/// </summary>
public static class LiteLlmPriceMap
{
    private static readonly Dictionary<string, string> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["anthropic"] = "anthropic",
        ["openai"] = "openai",
        ["text-completion-openai"] = "openai",
        ["azure"] = "openai",
        ["gemini"] = "google",
        ["vertex_ai-language-models"] = "google",
        ["vertex_ai"] = "google",
    };

    public static (List<PriceEntry> Prices, int Skipped) Read(JsonElement map, DateTimeOffset effectiveFrom)
    {
        var prices = new List<PriceEntry>();
        var skipped = 0;
        foreach (var model in map.EnumerateObject())
        {
            var entry = model.Value;
            // A map is an admin's upload, yet still input: a name or provider that is not acceptable text is skipped.
            if (
                !JsonFields.TryGetName(model, out var name)
                || !TextRules.IsAcceptable(name)
                || name == "sample_spec"
                || entry.ValueKind != JsonValueKind.Object
                || Text(entry, "litellm_provider") is { } named && !TextRules.IsAcceptable(named, 50)
            )
            {
                skipped++;
                continue;
            }
            if (
                PerToken(entry, "input_cost_per_token") is not { } input
                || PerToken(entry, "output_cost_per_token") is not { } output
                || (Text(entry, "mode") is { } mode && mode is not ("chat" or "completion" or "responses"))
            )
            {
                skipped++;
                continue;
            }
            var litellmProvider = Text(entry, "litellm_provider") ?? "";
            var provider = Providers.GetValueOrDefault(litellmProvider, litellmProvider.ToLowerInvariant());
            var cacheRead = PerToken(entry, "cache_read_input_token_cost") ?? input;
            var cacheWrite = PerToken(entry, "cache_creation_input_token_cost") ?? input;
            var cacheWrite1h = PerToken(entry, "cache_creation_input_token_cost_above_1hr") ?? cacheWrite;
            var longInput = PerToken(entry, "input_cost_per_token_above_200k_tokens");
            var longOutput = PerToken(entry, "output_cost_per_token_above_200k_tokens");
            // Long-context cache rates scale with the input rate, which a free model (0) cannot give.
            LongContextRates? longContext =
                longInput is null || input == 0
                    ? null
                    : new LongContextRates(
                        longInput.Value,
                        longOutput ?? output,
                        cacheRead * longInput.Value / input,
                        cacheWrite * longInput.Value / input,
                        cacheWrite1h * longInput.Value / input
                    );
            prices.Add(
                new PriceEntry(
                    provider,
                    ModelNames.Normalize(name),
                    effectiveFrom,
                    input,
                    output,
                    cacheRead,
                    cacheWrite,
                    cacheWrite1h,
                    PerToken(entry, "output_cost_per_reasoning_token"),
                    longContext is null ? null : 200_000,
                    longContext
                )
            );
        }
        return (prices, skipped);
    }

    /// <summary>A per-token price as per million tokens, exactly: decimal keeps 1.5e-06 × 10⁶ = 1.5.</summary>
    /// <remarks>A negative or absurd price reads as missing, which skips the model (or leaves the optional rate unset).</remarks>
    private static decimal? PerToken(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetDecimal(out var perToken)
        && perToken >= 0
        && perToken <= PriceEntryReader.MaxRatePerMTok / 1_000_000m
            ? perToken * 1_000_000m
            : null;

    private static string? Text(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value)
        && value.ValueKind == JsonValueKind.String
        && JsonFields.TryGetString(value, out var text)
            ? text
            : null;
}
