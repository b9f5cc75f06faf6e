using Tokenwise.Contracts;

namespace Tokenwise.Alerting.Watching;

/// <summary>
/// What the watch rules need of one charged usage: who, when, where from, how many tokens and what it cost. Alerting
/// records these, not whole charges, so its events stay a third of the size of what it receives.
/// </summary>
public sealed record WatchedUsage(
    string UsageKey,
    DateTimeOffset OccurredAt,
    string User,
    string? Team,
    string? Tool,
    string? SessionId,
    string? AgentName,
    long Tokens,
    decimal CostUsd
)
{
    /// <summary>The lane of a request for ping-pong: its session, else its agent.</summary>
    public string? Lane => SessionId ?? AgentName;

    public static WatchedUsage Of(UsageCharged charge) =>
        new(
            charge.UsageKey,
            charge.OccurredAt,
            charge.User,
            charge.Team,
            charge.Context.Tool,
            charge.Context.SessionId,
            charge.Context.AgentName,
            charge.Tokens.Input
                + charge.Tokens.CacheRead
                + charge.Tokens.CacheWrite
                + charge.Tokens.CacheWrite1h
                + charge.Tokens.Output,
            charge.Cost.Total
        );
}
