using System.Text.RegularExpressions;

namespace Tokenwise.Ingestion.Outcomes;

/// <summary>What the text of a PR or an incident tells: AI assistance, agent sessions, root-cause commits, reverts.</summary>
internal static partial class OutcomeText
{
    private static readonly HashSet<string> AiLabels = new(StringComparer.OrdinalIgnoreCase) { "ai-assisted", "ai" };

    public static bool IsAiAssisted(IEnumerable<string> labels, string? body) =>
        labels.Any(AiLabels.Contains) ||
        (body is not null && (AiCoAuthor().IsMatch(body) || GeneratedWithClaudeCode().IsMatch(body) ||
                              ClaudeSession().IsMatch(body) || MadeWithCursor().IsMatch(body)));

    /// <summary>Session ids from "Claude-Session: &lt;url or id&gt;" trailers: the last path segment of each.</summary>
    public static IReadOnlyList<string> SessionIds(string? body) =>
        body is null ? [] : ClaudeSession().Matches(body).Select(m => m.Groups["value"].Value.TrimEnd('/').Split('/')[^1]).Distinct().ToList();

    /// <summary>Commits named by "root cause: &lt;sha&gt;" (DORA Four Keys' convention).</summary>
    public static IReadOnlyList<string> RootCauseShas(params string?[] texts) =>
        texts.OfType<string>().SelectMany(t => RootCause().Matches(t)).Select(m => m.Groups["sha"].Value.ToLowerInvariant()).Distinct().ToList();

    /// <summary>The PR a GitHub-generated revert PR reverts ("Reverts owner/repo#123").</summary>
    public static int? RevertedPr(string? body) =>
        body is not null && Reverts().Match(body) is { Success: true } m ? int.Parse(m.Groups["number"].Value) : null;

    [GeneratedRegex(@"^\s*Co-authored-by:\s*[^\n]*\b(Claude|Copilot|Cursor|Codex|Gemini|Devin)\b", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex AiCoAuthor();

    [GeneratedRegex(@"Generated with \[?Claude Code\]?", RegexOptions.IgnoreCase)]
    private static partial Regex GeneratedWithClaudeCode();

    [GeneratedRegex(@"^\s*Claude-Session:\s*(?<value>\S+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ClaudeSession();

    [GeneratedRegex(@"^\s*Made-with:\s*Cursor\b", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MadeWithCursor();

    [GeneratedRegex(@"root[ _-]?cause:\s*(?<sha>[0-9a-f]{7,40})\b", RegexOptions.IgnoreCase)]
    private static partial Regex RootCause();

    [GeneratedRegex(@"^\s*Reverts\s+[\w.-]+/[\w.-]+#(?<number>\d+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex Reverts();
}
