using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage;

/// <summary>The canonical shape: the common fields plus the non-overlapping token buckets at the top level.</summary>
internal static class CanonicalUsageReader
{
    public static UsageRecorded? Read(JsonElement item, string path, ValidationErrors errors, IntakeContext intake)
    {
        if (UsageEnvelope.Read(item, path, errors, intake) is not var (usage, f))
            return null;
        var max = intake.Limits.MaxTokensPerBucket;
        usage = usage with
        {
            InputTokens = f.Count("inputTokens", max),
            CacheReadTokens = f.Count("cacheReadTokens", max),
            CacheWriteTokens = f.Count("cacheWriteTokens", max),
            CacheWrite1hTokens = f.Count("cacheWrite1hTokens", max),
            OutputTokens = f.Count("outputTokens", max),
            ReasoningTokens = f.Count("reasoningTokens", max),
        };
        if (usage.ReasoningTokens > usage.OutputTokens)
            f.Fail("reasoningTokens", "is part of outputTokens and cannot exceed it");
        return usage;
    }
}
