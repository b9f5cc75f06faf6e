using Tokenwise.Ingestion.Usage;
using static Tokenwise.Ingestion.Tests.Usage.ShapeReading;

namespace Tokenwise.Ingestion.Tests.Usage;

public sealed class NativeUsageShapesTests
{
    private static string With(string usage) => "{" + Head + ",\"usage\":" + usage + "}";

    private const string Head = """ "id":"r1","occurredAt":"2026-11-20T11:00:00Z","user":"bob","model":"gpt-5" """;

    [Fact]
    public void OpenAI_chat_completions_usage_moves_cached_tokens_out_of_input()
    {
        var usage = ReadOne(
            OpenAiUsageReader.Read,
            With(
                """
                {"prompt_tokens":2000,"completion_tokens":300,"total_tokens":2300,
                 "prompt_tokens_details":{"cached_tokens":1500,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":120,"audio_tokens":0}}
                """
            )
        );

        Assert.Equal("openai", usage.Provider);
        Assert.Equal(
            (500, 1500, 300, 120),
            (usage.InputTokens, usage.CacheReadTokens, usage.OutputTokens, usage.ReasoningTokens)
        );
    }

    [Fact]
    public void OpenAI_responses_usage_moves_cached_tokens_out_of_input()
    {
        var usage = ReadOne(
            OpenAiUsageReader.Read,
            With(
                """
                {"input_tokens":1000,"input_tokens_details":{"cached_tokens":250},
                 "output_tokens":80,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":1080}
                """
            )
        );

        Assert.Equal(
            (750, 250, 80, 64),
            (usage.InputTokens, usage.CacheReadTokens, usage.OutputTokens, usage.ReasoningTokens)
        );
    }

    [Fact]
    public void OpenAI_usage_with_more_cached_than_prompt_tokens_is_rejected()
    {
        var (_, errors) = Read(
            OpenAiUsageReader.Read,
            With(
                """
                {"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":11}}
                """
            )
        );
        Assert.Contains("usage.prompt_tokens_details.cached_tokens", errors.Keys);
    }

    [Fact]
    public void A_native_shape_without_usage_is_rejected_naming_usage()
    {
        Assert.Contains("usage", Read(OpenAiUsageReader.Read, "{" + Head + "}").Errors.Keys);
        Assert.Contains("[0].usage", Read(AnthropicUsageReader.Read, "[{" + Head + "}]").Errors.Keys);
    }

    [Fact]
    public void Anthropic_usage_splits_5_minute_and_1_hour_cache_writes()
    {
        var usage = ReadOne(
            AnthropicUsageReader.Read,
            With(
                """
                {"input_tokens":12,"output_tokens":450,"cache_read_input_tokens":80000,
                 "cache_creation_input_tokens":3000,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},
                 "service_tier":"standard"}
                """
            )
        );

        Assert.Equal("anthropic", usage.Provider);
        Assert.Equal(
            (12, 80000, 1000, 2000, 450),
            (
                usage.InputTokens,
                usage.CacheReadTokens,
                usage.CacheWriteTokens,
                usage.CacheWrite1hTokens,
                usage.OutputTokens
            )
        );
    }

    [Fact]
    public void Anthropic_usage_without_the_split_counts_all_cache_writes_as_5_minute()
    {
        var usage = ReadOne(
            AnthropicUsageReader.Read,
            With(
                """
                {"input_tokens":5,"output_tokens":7,"cache_creation_input_tokens":900,"cache_read_input_tokens":0}
                """
            )
        );

        Assert.Equal((900, 0), (usage.CacheWriteTokens, usage.CacheWrite1hTokens));
    }

    [Fact]
    public void Anthropic_cache_creation_total_that_disagrees_with_its_split_is_rejected()
    {
        var (_, errors) = Read(
            AnthropicUsageReader.Read,
            With(
                """
                {"input_tokens":5,"output_tokens":7,"cache_creation_input_tokens":901,
                 "cache_creation":{"ephemeral_5m_input_tokens":900,"ephemeral_1h_input_tokens":0}}
                """
            )
        );
        Assert.Contains("usage.cache_creation_input_tokens", errors.Keys);
    }
}
