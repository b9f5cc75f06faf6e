using System.Text;
using System.Text.RegularExpressions;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.OutcomeReports;

/// <summary>What the text of a PR or an incident tells: AI assistance, agent sessions, root-cause commits, reverts.</summary>
internal static partial class OutcomeText
{
    private static readonly HashSet<string> AiLabels = new(StringComparer.OrdinalIgnoreCase) { "ai-assisted", "ai" };

    public static bool IsAiAssisted(IEnumerable<string> labels, string? body) =>
        labels.Any(AiLabels.Contains)
        || (
            body is not null
            && (
                AiCoAuthor().IsMatch(body)
                || GeneratedWithClaudeCode().IsMatch(body)
                || ClaudeSession().IsMatch(body)
                || MadeWithCursor().IsMatch(body)
            )
        );

    /// <summary>Session ids from "Claude-Session: &lt;url or id&gt;" trailers: the last path segment of each.</summary>
    public static IReadOnlyList<string> SessionIds(string? body) =>
        body is null
            ? []
            : ClaudeSession()
                .Matches(body)
                .Select(m => m.Groups["value"].Value.TrimEnd('/').Split('/')[^1])
                .Distinct()
                .ToList();

    /// <summary>Commits named by "root cause: &lt;sha&gt;" (DORA Four Keys' convention).</summary>
    public static IReadOnlyList<string> RootCauseShas(params string?[] texts) =>
        texts
            .OfType<string>()
            .SelectMany(t => RootCause().Matches(t))
            .Select(m => m.Groups["sha"].Value.ToLowerInvariant())
            .Distinct()
            .ToList();

    /// <summary>
    /// A vendor's title as we keep it: one line, at most <see cref="IntakeRules.TitleBytes"/> bytes. A webhook's sender
    /// cannot change what its vendor writes, so its free text is made acceptable rather than refused.
    /// </summary>
    public static string? Title(string? text)
    {
        if (text is null)
            return null;
        var builder = new StringBuilder(Math.Min(text.Length, IntakeRules.TitleBytes));
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var piece =
                pair ? text.Substring(i, 2)
                : TextRules.IsAcceptable(text[i].ToString()) ? text[i].ToString()
                : " ";
            if (pair)
                i++;
            if ((bytes += Encoding.UTF8.GetByteCount(piece)) > IntakeRules.TitleBytes)
                break;
            builder.Append(piece);
        }
        return builder.ToString().Trim();
    }

    /// <summary>The PR a GitHub-generated revert PR reverts ("Reverts owner/repo#123").</summary>
    public static int? RevertedPr(string? body) =>
        body is not null
        && Reverts().Match(body) is { Success: true } m
        && int.TryParse(m.Groups["number"].Value, out var number)
        && number > 0
            ? number
            : null;

    [GeneratedRegex(
        @"^\s*Co-authored-by:\s*[^\n]*\b(Claude|Copilot|Cursor|Codex|Gemini|Devin)\b",
        RegexOptions.IgnoreCase | RegexOptions.Multiline
    )]
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
