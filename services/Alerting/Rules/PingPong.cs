using Tokenwise.Alerting.Alerts;

namespace Tokenwise.Alerting.Rules;

/// <summary>One request of a user: when, in which session or agent ("lane"), and its total tokens.</summary>
public sealed record LaneRequest(DateTimeOffset At, string Lane, long Tokens);

/// <summary>
/// Agent ping-pong: two sessions or agents of one user taking turns with near-identical requests, the pattern of
/// agents talking to each other to climb a token leaderboard. Pure.
/// </summary>
public static class PingPong
{
    /// <param name="requests">The user's requests in the rule's window, any order.</param>
    public static bool Detect(IReadOnlyList<LaneRequest> requests, TokenBurnRule rule)
    {
        var recent = requests.OrderBy(r => r.At).TakeLast(rule.Requests).ToList();
        if (recent.Count < rule.Requests || recent.Select(r => r.Lane).Distinct().Count() != 2)
            return false;
        var turns = recent.Zip(recent.Skip(1)).Count(pair => pair.First.Lane != pair.Second.Lane);
        // Nearly every next request comes from the other lane (a few overlaps allowed).
        if (turns < (recent.Count - 1) * 9 / 10)
            return false;
        var tokens = recent.Select(r => r.Tokens).Order().ToList();
        var median = (decimal)tokens[tokens.Count / 2];
        return median > 0 && tokens.All(t => Math.Abs(t - median) <= median * rule.TolerancePercent / 100m);
    }

    /// <summary>The finding about a user caught playing ping-pong, for their manager's review.</summary>
    /// <param name="requestsInWindow">All the user's requests in the rule's window (the rule looks at the latest ones).</param>
    public static AlertSignal Finding(
        string user,
        string? manager,
        long requestsInWindow,
        TokenBurnRule rule,
        DateTimeOffset now
    ) =>
        new()
        {
            Kind = AlertKinds.TokenBurn,
            Scope = new AlertScope("user", user),
            At = now,
            Severity = Severities.Warning,
            Manager = manager,
            Observed = requestsInWindow,
            Threshold = rule.Requests,
            Title = $"{user}'s agents are playing ping-pong: two sessions taking turns with near-identical requests",
            Detail = $"{requestsInWindow} requests in {rule.WindowMinutes} minutes; for the manager's review.",
        };
}
