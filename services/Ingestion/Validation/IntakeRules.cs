using System.Text.RegularExpressions;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Validation;

/// <summary>A field of an accepted item that breaks a rule, named as the canonical shape names it.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>
/// The one rule set every item obeys before it is stored, whichever shape it came in (canonical, OpenAI, Anthropic,
/// OTLP logs and metrics, webhooks): identifiers are text by <see cref="TextRules"/>, repos are owner/name, commit
/// shas are hex, PR numbers positive, counts and costs within <see cref="IntakeLimits"/>. The JSON readers apply these
/// rules field by field, naming the field as the sender wrote it; every path also checks the finished item with the
/// functions below, so a field a reader forgot cannot slip through.
/// </summary>
public static partial class IntakeRules
{
    public const int ProviderBytes = 50;
    public const int ToolBytes = 100;
    public const int BranchBytes = 250;
    public const int TitleBytes = 1_000;
    public const int ShortTextBytes = 100;
    public const int MaxTags = 32;
    public const int MaxListItems = 100;

    public static string? RepoProblem(string repo) =>
        TextRules.Problem(repo) ?? (RepoName().IsMatch(repo) ? null : "must be owner/name");

    public static string? ShaProblem(string sha) =>
        Sha().IsMatch(sha) ? null : "must be a commit sha: 7 to 64 hexadecimal digits";

    public static string? ProviderProblem(string provider) =>
        TextRules.Problem(provider, ProviderBytes)
        ?? (
            ProviderName().IsMatch(provider)
                ? null
                : "must be a lower-case provider name such as anthropic, openai or google"
        );

    public static string? CountProblem(long count, long max) =>
        count < 0 ? "must be an integer ≥ 0"
        : count > max ? $"must be at most {max:N0}"
        : null;

    public static IReadOnlyList<FieldProblem> Problems(UsageRecorded usage, IntakeLimits limits)
    {
        var problems = new Findings();
        problems.Text("id", usage.Id, required: true);
        problems.Text("user", usage.User, required: true);
        problems.Text("team", usage.Team);
        problems.Check("provider", usage.Provider, ProviderProblem);
        problems.Text("model", usage.Model, required: true);
        foreach (
            var (field, count) in new[]
            {
                ("inputTokens", usage.InputTokens),
                ("cacheReadTokens", usage.CacheReadTokens),
                ("cacheWriteTokens", usage.CacheWriteTokens),
                ("cacheWrite1hTokens", usage.CacheWrite1hTokens),
                ("outputTokens", usage.OutputTokens),
                ("reasoningTokens", usage.ReasoningTokens),
            }
        )
            problems.Add(field, CountProblem(count, limits.MaxTokensPerBucket));
        if (usage.ReasoningTokens > usage.OutputTokens)
            problems.Add("reasoningTokens", "is part of outputTokens and cannot exceed it");
        if (usage.ReportedCostUsd is { } cost && (cost < 0 || cost > limits.MaxReportedCostUsd))
            problems.Add("reportedCostUsd", $"must be a decimal number ≥ 0 and at most {limits.MaxReportedCostUsd:N0}");
        var context = usage.Context;
        problems.Text("tool", context.Tool, ToolBytes);
        problems.Text("sessionId", context.SessionId);
        problems.Text("agentName", context.AgentName);
        problems.Text("requestId", context.RequestId);
        problems.Check("repo", context.Repo, RepoProblem);
        problems.Text("branch", context.Branch, BranchBytes);
        if (context.PrNumber is <= 0)
            problems.Add("prNumber", "must be a positive integer");
        problems.Check("commitSha", context.CommitSha, ShaProblem);
        if (context.Tags is { } tags)
        {
            if (tags.Count > MaxTags)
                problems.Add("tags", $"must have at most {MaxTags} entries");
            foreach (var (key, value) in tags)
                if (
                    !TextRules.IsAcceptable(key, JsonFields.MapKeyBytes)
                    || !TextRules.IsAcceptable(value, JsonFields.MapValueBytes)
                )
                    problems.Add(
                        "tags",
                        $"keys must be at most {JsonFields.MapKeyBytes} bytes and values {JsonFields.MapValueBytes}, without control characters"
                    );
        }
        return problems.Found;
    }

    public static IReadOnlyList<FieldProblem> Problems(OutcomeRecorded outcome)
    {
        var problems = new Findings();
        problems.Text("id", outcome.Id, required: true);
        if (!OutcomeKinds.All.Contains(outcome.Kind))
            problems.Add("kind", "must be one of " + string.Join(", ", OutcomeKinds.All.Order()));
        problems.Check("repo", outcome.Repo, RepoProblem);
        if (outcome.PrNumber is <= 0)
            problems.Add("prNumber", "must be a positive integer");
        problems.Check("sha", outcome.Sha, ShaProblem);
        problems.Text("branch", outcome.HeadRef, BranchBytes);
        problems.List("commitShas", outcome.CommitShas, ShaProblem);
        problems.Text("user", outcome.User);
        problems.Text("team", outcome.Team);
        problems.Text("environment", outcome.Environment, ShortTextBytes);
        problems.Text("severity", outcome.Severity, ShortTextBytes);
        problems.Text("title", outcome.Title, TitleBytes);
        problems.Text("externalId", outcome.ExternalId);
        if (outcome.LinesAdded is < 0)
            problems.Add("linesAdded", "must be an integer ≥ 0");
        if (outcome.LinesDeleted is < 0)
            problems.Add("linesDeleted", "must be an integer ≥ 0");
        problems.List("sessionIds", outcome.SessionIds, s => TextRules.Problem(s));
        if (outcome.Links.PrNumbers.Count > MaxListItems || outcome.Links.PrNumbers.Any(n => n <= 0))
            problems.Add("links.prNumbers", $"must be at most {MaxListItems} positive integers");
        problems.List("links.shas", outcome.Links.Shas, ShaProblem);
        return problems.Found;
    }

    public static IReadOnlyList<FieldProblem> Problems(ActivityRecorded activity)
    {
        var problems = new Findings();
        // Its key is the sender's id scoped by the source, as a usage's is.
        problems.Text("id", activity.Key, TextRules.IdentifierBytes + 70, required: true);
        problems.Text("user", activity.User, required: true);
        problems.Text("team", activity.Team);
        problems.Text("tool", activity.Tool, ToolBytes);
        problems.Text("sessionId", activity.SessionId);
        problems.Text("model", activity.Model);
        problems.Add("count", CountProblem(activity.Count, IntakeLimits.MaxActivityCount));
        return problems.Found;
    }

    private sealed class Findings
    {
        public List<FieldProblem> Found { get; } = [];

        public void Add(string field, string? message)
        {
            if (message is not null)
                Found.Add(new FieldProblem(field, message));
        }

        public void Text(string field, string? value, int maxBytes = TextRules.IdentifierBytes, bool required = false)
        {
            if (string.IsNullOrWhiteSpace(value))
                Add(field, required ? "is required" : null);
            else
                Add(field, TextRules.Problem(value, maxBytes));
        }

        public void Check(string field, string? value, Func<string, string?> rule)
        {
            if (value is not null)
                Add(field, rule(value));
        }

        public void List(string field, IReadOnlyList<string> values, Func<string, string?> rule)
        {
            if (values.Count > MaxListItems)
                Add(field, $"must have at most {MaxListItems} entries");
            else if (values.Select(rule).FirstOrDefault(p => p is not null) is { } problem)
                Add(field, "each entry " + problem);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\z")]
    private static partial Regex RepoName();

    [GeneratedRegex(@"^[0-9a-fA-F]{7,64}\z")]
    private static partial Regex Sha();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*\z")]
    private static partial Regex ProviderName();
}
