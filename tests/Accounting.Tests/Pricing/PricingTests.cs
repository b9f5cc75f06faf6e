using Tokenwise.Accounting.Pricing;
using Tokenwise.Accounting.Usage.ChargingUsage;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Tests.Pricing;

/// <summary>Costs computed by hand from the default price book (USD per million tokens).</summary>
public sealed class PricingTests
{
    private static readonly PriceBook Default = new(PriceBookFile.Load(PriceBookFile.DefaultPath), [], 0);
    private static readonly DateTimeOffset Nov2025 = new(2025, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static UsageRecorded Usage(
        string model,
        long input = 0,
        long cacheRead = 0,
        long cacheWrite = 0,
        long cacheWrite1h = 0,
        long output = 0,
        long reasoning = 0,
        string? provider = null,
        DateTimeOffset? at = null
    ) =>
        new()
        {
            Key = "k",
            Source = "s",
            Id = "i",
            OccurredAt = at ?? Nov2025,
            RecordedAt = Nov2025,
            User = "u",
            Model = model,
            Provider = provider,
            InputTokens = input,
            CacheReadTokens = cacheRead,
            CacheWriteTokens = cacheWrite,
            CacheWrite1hTokens = cacheWrite1h,
            OutputTokens = output,
            ReasoningTokens = reasoning,
        };

    [Fact]
    public void Every_bucket_is_priced_at_its_own_rate()
    {
        // Sonnet 4.5: input $3, cache read $0.30, 5-minute write $3.75, 1-hour write $6, output $15.
        var charge = ChargeUsage.Decide(Usage("claude-sonnet-4-5-20250929", 1200, 30_000, 500, 100, 340), Default);

        Assert.Equal(new BucketCosts(0.0036m, 0.009m, 0.001875m, 0.0006m, 0.0051m), charge.Cost);
        Assert.Equal(0.020175m, charge.Cost.Total);
        Assert.Equal("default:anthropic/claude-sonnet-4-5@2025-09-29", charge.PriceVersion);
    }

    [Fact]
    public void A_prompt_over_200k_tokens_bills_every_token_at_the_long_context_rate()
    {
        // 150,000 input + 60,000 cache read = 210,000 > 200,000: input $6, cache read $0.60, output $22.50.
        var charge = ChargeUsage.Decide(
            Usage("claude-sonnet-4-5", input: 150_000, cacheRead: 60_000, output: 1_000),
            Default
        );
        Assert.Equal(new BucketCosts(0.9m, 0.036m, 0, 0, 0.0225m), charge.Cost);
    }

    [Fact]
    public void A_prompt_of_exactly_200k_tokens_stays_at_the_standard_rate()
    {
        var charge = ChargeUsage.Decide(
            Usage("claude-sonnet-4-5", input: 140_000, cacheRead: 60_000, output: 1_000),
            Default
        );
        Assert.Equal(new BucketCosts(0.42m, 0.018m, 0, 0, 0.015m), charge.Cost);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", null, "anthropic/claude-sonnet-4-5")]
    [InlineData("anthropic/claude-sonnet-4-5", null, "anthropic/claude-sonnet-4-5")]
    [InlineData("Claude-Sonnet-4-5", "anthropic", "anthropic/claude-sonnet-4-5")]
    [InlineData("openai/gpt-4o-2024-08-06", null, "openai/gpt-4o")]
    [InlineData("gpt-4.1", "openai", "openai/gpt-4.1")]
    [InlineData("gemini/gemini-2.5-pro", null, "google/gemini-2.5-pro")]
    [InlineData("o3", null, "openai/o3")]
    [InlineData("claude-opus-4-1@20250805", "anthropic", "anthropic/claude-opus-4-1")]
    public void Model_names_as_senders_report_them_match_the_price_book(string model, string? provider, string key)
    {
        Assert.Equal(key, ModelNames.Key(ModelNames.Provider(provider, model), model));
        Assert.NotNull(ChargeUsage.Decide(Usage(model, input: 1, provider: provider), Default).PriceVersion);
    }

    [Fact]
    public void The_price_in_effect_when_the_usage_occurred_is_used()
    {
        // o3 cost $10 / $40 until 2025-06-10, then $2 / $8.
        var before = ChargeUsage.Decide(
            Usage(
                "o3",
                input: 1_000_000,
                output: 1_000_000,
                at: new DateTimeOffset(2025, 6, 9, 23, 59, 0, TimeSpan.Zero)
            ),
            Default
        );
        var after = ChargeUsage.Decide(
            Usage(
                "o3",
                input: 1_000_000,
                output: 1_000_000,
                at: new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero)
            ),
            Default
        );

        Assert.Equal(50m, before.Cost.Total);
        Assert.Equal(10m, after.Cost.Total);
    }

    [Fact]
    public void Reasoning_tokens_are_output_unless_the_model_has_a_reasoning_price()
    {
        var asOutput = ChargeUsage.Decide(Usage("gpt-5", output: 1000, reasoning: 400), Default);
        Assert.Equal(0.01m, asOutput.Cost.Output); // 1,000 × $10

        var withReasoning = new PriceBook(
            [
                new ModelPrice(
                    "acme",
                    "thinker",
                    Nov2025.AddDays(-1),
                    new Rates(1, 10, 1, 1, 1, ReasoningPerMTok: 20),
                    null,
                    null,
                    "test"
                ),
            ],
            [],
            1
        );
        var charge = ChargeUsage.Decide(
            Usage("thinker", output: 1000, reasoning: 400, provider: "acme"),
            withReasoning
        );
        Assert.Equal(0.014m, charge.Cost.Output); // 600 × $10 + 400 × $20
    }

    [Fact]
    public void A_provider_discount_applies_from_its_date_on()
    {
        var book = new PriceBook(
            PriceBookFile.Load(PriceBookFile.DefaultPath),
            [new ProviderDiscount("anthropic", 10m, Nov2025)],
            1
        );

        Assert.Equal(0.0135m, ChargeUsage.Decide(Usage("claude-sonnet-4-5", output: 1000), book).Cost.Total);
        Assert.Equal(
            0.015m,
            ChargeUsage.Decide(Usage("claude-sonnet-4-5", output: 1000, at: Nov2025.AddSeconds(-1)), book).Cost.Total
        );
    }

    [Fact]
    public void An_unknown_model_is_charged_zero_and_marked_unpriced()
    {
        var charge = ChargeUsage.Decide(Usage("mystery-model-9", input: 1000, output: 1000, provider: "acme"), Default);
        Assert.Equal((0m, null), (charge.Cost.Total, charge.PriceVersion));
    }

    [Fact]
    public void Repricing_returns_nothing_when_the_book_gives_the_same_cost()
    {
        var charge = ChargeUsage.Decide(Usage("gpt-4.1", input: 1000), Default);
        Assert.Null(ChargeUsage.Reprice(charge, Default));
        var corrected = new PriceBook(
            Default.All.Append(
                new ModelPrice(
                    "openai",
                    "gpt-4.1",
                    Nov2025.AddDays(-30),
                    new Rates(1, 4, 0.25m, 0, 0),
                    null,
                    null,
                    "fix"
                )
            ),
            [],
            2
        );
        Assert.Equal(0.001m, ChargeUsage.Reprice(charge, corrected)!.Cost.Total);
    }
}
