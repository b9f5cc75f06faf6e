using System.Text.Json;
using System.Text.RegularExpressions;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;

namespace Tokenwise.Ingestion.Usage.RecordingUsage;

/// <summary>Turns one canonical usage item (the body of POST /v1/usage) into a <see cref="UsageRecorded"/>.</summary>
internal static partial class CanonicalUsageReader
{
    public const int MaxTags = 32;

    public static UsageRecorded? Read(JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "$" : path.TrimEnd('.'), "must be a JSON object");
            return null;
        }
        var f = new JsonFields(item, path, errors);
        var id = f.Text("id", 200, required: true);
        var occurredAt = f.Timestamp("occurredAt", required: true);
        OccurrenceWindow.Check(f, "occurredAt", occurredAt, now);
        var user = f.Text("user", 200, required: true);
        var model = f.Text("model", 200, required: true);
        var provider = f.Text("provider", 50)?.ToLowerInvariant();
        if (provider is not null && !ProviderName().IsMatch(provider))
            f.Fail("provider", "must be a lower-case provider name such as anthropic, openai or google");
        var repo = f.Text("repo", 200);
        if (repo is not null && !RepoName().IsMatch(repo)) f.Fail("repo", "must be owner/name");

        var usage = new UsageRecorded
        {
            Key = UsageKeys.For(source, id ?? ""),
            Source = source,
            Id = id ?? "",
            OccurredAt = occurredAt ?? default,
            RecordedAt = now,
            User = user ?? "",
            Team = f.Text("team", 200),
            Provider = provider,
            Model = model ?? "",
            InputTokens = f.Count("inputTokens"),
            CacheReadTokens = f.Count("cacheReadTokens"),
            CacheWriteTokens = f.Count("cacheWriteTokens"),
            CacheWrite1hTokens = f.Count("cacheWrite1hTokens"),
            OutputTokens = f.Count("outputTokens"),
            ReasoningTokens = f.Count("reasoningTokens"),
            ReportedCostUsd = f.Money("reportedCostUsd"),
            Context = new UsageContext
            {
                Tool = f.Text("tool", 100),
                SessionId = f.Text("sessionId", 200),
                AgentName = f.Text("agentName", 200),
                RequestId = f.Text("requestId", 200),
                Repo = repo,
                Branch = f.Text("branch", 250),
                PrNumber = f.PositiveInt("prNumber"),
                CommitSha = f.Text("commitSha", 64),
                Tags = f.StringMap("tags", MaxTags),
            },
        };
        if (usage.ReasoningTokens > usage.OutputTokens)
            f.Fail("reasoningTokens", "is part of outputTokens and cannot exceed it");
        return usage;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ProviderName();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex RepoName();
}
