namespace Tokenwise.Outcomes.Attribution;

/// <summary>A PR by repo and number: "owner/name#42".</summary>
public readonly record struct PrKey(string Repo, int Number)
{
    public override string ToString() => $"{Repo}#{Number}";

    /// <summary>Reads "owner/name#42" back; null for anything else.</summary>
    public static PrKey? TryParse(string? text)
    {
        var hash = text?.LastIndexOf('#') ?? -1;
        return hash > 0 && int.TryParse(text.AsSpan(hash + 1), out var number)
            ? new PrKey(text![..hash], number)
            : null;
    }
}

/// <summary>What attribution needs to know of a merged PR.</summary>
public sealed record MergedPr(
    PrKey Key,
    string? Author,
    DateTimeOffset MergedAt,
    string? HeadRef,
    IReadOnlySet<string> CommitShas,
    IReadOnlySet<string> SessionIds
);

/// <summary>What attribution needs to know of a usage event (from its charge).</summary>
public sealed record UsageFacts(
    string UsageKey,
    string User,
    DateTimeOffset OccurredAt,
    string? Repo,
    string? Branch,
    int? PrNumber,
    string? CommitSha,
    string? SessionId
);

/// <summary>The PR a usage event is attributed to, and by which rule; null PR means "no outcome".</summary>
public sealed record AttributionDecision(PrKey? Pr, AttributionRule? Rule)
{
    public static readonly AttributionDecision None = new(null, null);
}
