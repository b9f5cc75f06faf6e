using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// Anthropic's Messages usage object. Its input_tokens already exclude cache tokens. Cache writes split into
/// 5-minute and 1-hour buckets when cache_creation is present; otherwise all writes are 5-minute writes.
/// </summary>
internal static class AnthropicUsageReader
{
    public static UsageRecorded? Read(JsonElement item, string path, ValidationErrors errors, IntakeContext intake)
    {
        if (UsageEnvelope.ReadNative(item, path, errors, intake, "anthropic", "Anthropic") is not var (usage, fields))
            return null;
        if (fields is not { } u)
            return usage;
        var max = intake.Limits.MaxTokensPerBucket;
        long write5m,
            write1h;
        if (u.TryGet("cache_creation", out var creation) && creation.ValueKind == JsonValueKind.Object)
        {
            var c = new JsonFields(creation, u.Name("cache_creation."), errors);
            write5m = c.Count("ephemeral_5m_input_tokens", max);
            write1h = c.Count("ephemeral_1h_input_tokens", max);
            var total = u.Count("cache_creation_input_tokens", max);
            if (u.Has("cache_creation_input_tokens") && total != checked(write5m + write1h))
                u.Fail(
                    "cache_creation_input_tokens",
                    "must equal the sum of cache_creation's 5-minute and 1-hour tokens"
                );
        }
        else
        {
            write5m = u.Count("cache_creation_input_tokens", max);
            write1h = 0;
        }
        return usage with
        {
            InputTokens = u.Count("input_tokens", max),
            CacheReadTokens = u.Count("cache_read_input_tokens", max),
            CacheWriteTokens = write5m,
            CacheWrite1hTokens = write1h,
            OutputTokens = u.Count("output_tokens", max),
        };
    }
}
