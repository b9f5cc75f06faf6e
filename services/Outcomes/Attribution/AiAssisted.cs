namespace Tokenwise.Outcomes.Attribution;

/// <summary>
/// When a PR counts as AI-assisted: the sender flagged it, or AI usage was spent on the PR itself (attributed by the
/// explicit or the session rule). Usage in the author's window alone does not count: GitHub sends no flag, so
/// otherwise nearly every PR would be "other".
/// </summary>
public static class AiAssisted
{
    /// <summary>The rules whose usage was spent on the PR itself.</summary>
    public static readonly IReadOnlyList<AttributionRule> OnThePr = [AttributionRule.Explicit, AttributionRule.Session];

    public static bool Of(bool flagged, IEnumerable<string> rulesOfItsUsage) =>
        flagged || rulesOfItsUsage.Any(rule => OnThePr.Any(r => r.ToString() == rule));

    /// <summary>The same rule over a PR's rows joined to its usage: an aggregate of the flag and the usage's rule columns.</summary>
    public static string Sql(string flaggedColumn, string ruleColumn) =>
        $"(bool_or({flaggedColumn}) or coalesce(bool_or({ruleColumn} in ({string.Join(", ", OnThePr.Select(r => $"'{r}'"))})), false))";
}
