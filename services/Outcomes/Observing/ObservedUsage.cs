using Tokenwise.Contracts;

namespace Tokenwise.Outcomes.Observing;

/// <summary>
/// What Outcomes keeps of one charged usage (a usage_facts row): who, when, the code it names, its tokens and cost, and
/// the price book that cost comes from. Outcomes records these, not whole charges, so its events stay about half the
/// size of what it receives.
/// </summary>
public sealed record ObservedUsage(
    string UsageKey,
    DateTimeOffset OccurredAt,
    string User,
    string? Team,
    string? Repo,
    string? Branch,
    int? PrNumber,
    string? CommitSha,
    string? SessionId,
    TokenCounts Tokens,
    decimal CostUsd
)
{
    /// <summary>The price book <see cref="CostUsd"/> was computed with: a correction from a later book replaces it.</summary>
    public long BookVersion { get; init; }

    public static ObservedUsage Of(UsageCharged charge) =>
        new(
            charge.UsageKey,
            charge.OccurredAt,
            charge.User,
            charge.Team,
            charge.Context.Repo?.ToLowerInvariant(),
            charge.Context.Branch,
            charge.Context.PrNumber,
            charge.Context.CommitSha?.ToLowerInvariant(),
            charge.Context.SessionId,
            charge.Tokens,
            charge.Cost.Total
        )
        {
            BookVersion = charge.BookVersion,
        };
}
