using System.Text.Json;
using Tokenwise.Accounting.Pricing.ImportingPrices;

namespace Tokenwise.Accounting.Tests.Pricing;

public sealed class LiteLlmImportTests
{
    private const string Map = """
        {
          "sample_spec": {"max_tokens": "LEGACY", "input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "one of chat, embedding, completion"},
          "claude-sonnet-4-5-20250929": {"litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 200000,
            "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 3e-07,
            "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06,
            "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05},
          "gemini/gemini-2.5-flash": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 3e-07, "output_cost_per_token": 2.5e-06},
          "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08, "output_cost_per_token": 0.0},
          "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_pixel": 0.0}
        }
        """;

    [Fact]
    public void Chat_models_are_imported_per_million_tokens_and_the_rest_skipped()
    {
        using var document = JsonDocument.Parse(Map);
        var (prices, skipped) = LiteLlmPriceMap.Read(document.RootElement, DateTimeOffset.UnixEpoch);

        Assert.Equal(3, skipped);
        var sonnet = Assert.Single(prices, p => p.Model == "claude-sonnet-4-5");
        Assert.Equal(
            ("anthropic", 3m, 15m, 0.3m, 3.75m, 6m),
            (
                sonnet.Provider,
                sonnet.InputPerMTok,
                sonnet.OutputPerMTok,
                sonnet.CacheReadPerMTok,
                sonnet.CacheWritePerMTok,
                sonnet.CacheWrite1hPerMTok
            )
        );
        Assert.Equal(200_000, sonnet.LongContextThresholdTokens);
        Assert.Equal((6m, 22.5m), (sonnet.LongContext!.InputPerMTok, sonnet.LongContext.OutputPerMTok));
        var flash = Assert.Single(prices, p => p.Model == "gemini-2.5-flash");
        Assert.Equal(("google", 0.3m, 2.5m), (flash.Provider, flash.InputPerMTok, flash.OutputPerMTok));
    }
}
