using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage.RecordingUsage;

/// <summary>The canonical shape: the common fields plus the non-overlapping token buckets at the top level.</summary>
internal static class CanonicalUsageReader
{
    public static UsageRecorded? Read(JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now)
    {
        if (UsageEnvelope.Read(item, path, errors, source, now) is not var (usage, f)) return null;
        usage = usage with
        {
            InputTokens = f.Count("inputTokens"),
            CacheReadTokens = f.Count("cacheReadTokens"),
            CacheWriteTokens = f.Count("cacheWriteTokens"),
            CacheWrite1hTokens = f.Count("cacheWrite1hTokens"),
            OutputTokens = f.Count("outputTokens"),
            ReasoningTokens = f.Count("reasoningTokens"),
        };
        if (usage.ReasoningTokens > usage.OutputTokens)
            f.Fail("reasoningTokens", "is part of outputTokens and cannot exceed it");
        return usage;
    }
}
