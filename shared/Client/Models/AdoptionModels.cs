namespace Tokenwise.Client.Models;

/// <summary>
/// GET /v1/adoption: who uses AI, per group (a team, or the whole organisation) and period. For inviting people and
/// seeing tools spread, never for ranking them: there are counts and shares, and no one's tokens or spend.
/// <see cref="Organisation"/> holds the whole organisation's row per period whatever the grouping (what
/// <c>groupBy=org</c> gives as its rows, over the same people), so a page that shows both asks once.
/// </summary>
public sealed record AdoptionReport(
    string GroupBy,
    string Interval,
    DateOnly From,
    DateOnly To,
    string TimeZone,
    IReadOnlyList<AdoptionRow> Rows,
    IReadOnlyList<AdoptionGroup> Groups,
    IReadOnlyList<AdoptionRow> Organisation
);

/// <summary>
/// One group in one period (named by its first day) in which someone used AI: how many of its members did, which tools
/// they used (people per tool), and how many used it for the first time ever.
/// </summary>
public sealed record AdoptionRow(
    string Group,
    string Period,
    int ActiveUsers,
    int Members,
    decimal SharePercent,
    int NewAdopters,
    IReadOnlyDictionary<string, int> Tools
);

/// <summary>
/// One group over the whole range: its members (the directory's, and anyone who used AI under it), how many used AI,
/// who used it for the first time in the range and when, and the members who have never used it (to invite).
/// </summary>
public sealed record AdoptionGroup(
    string Group,
    int Members,
    int ActiveUsers,
    decimal SharePercent,
    IReadOnlyList<FirstUse> FirstUses,
    IReadOnlyList<string> NeverUsed
);

/// <summary>A person's first use of AI ever, by the period it fell in.</summary>
public sealed record FirstUse(string User, string Period);
