using Tokenwise.Alerting.Alerts;

namespace Tokenwise.Alerting.Rules;

/// <summary>
/// One session's recent activity: requests per minute for the last M + 1 minutes, the current one last (zeros included), its total cost, when it
/// began and last sent, its last user prompt, and whether its tool sends prompts at all.
/// </summary>
public sealed record SessionActivity(
    string SessionId,
    string User,
    IReadOnlyList<int> RequestsPerMinute,
    decimal CostUsd,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    DateTimeOffset? LastPromptAt,
    bool ToolSendsPrompts,
    string? Manager
);

/// <summary>The runaway rule. Pure.</summary>
public static class Runaway
{
    public static AlertSignal Evaluate(SessionActivity session, RunawayRule rule, DateTimeOffset now)
    {
        var signal = new AlertSignal
        {
            Kind = AlertKinds.Runaway,
            Scope = new AlertScope("session", session.SessionId),
            At = now,
            Severity = Severities.Critical,
            Manager = session.Manager,
            Links = new Dictionary<string, string> { ["user"] = session.User },
            OpensBreaker = new BreakerRequest(
                "user",
                session.User,
                new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero),
                $"runaway session {session.SessionId}"
            ),
        };
        if (now - session.LastAt >= TimeSpan.FromMinutes(rule.QuietMinutes))
            return signal with
            {
                Holds = false,
                OpensBreaker = null,
                Detail = $"the session has been quiet for {rule.QuietMinutes} minutes",
            };

        // Any run of M consecutive minutes above the rate: the current minute counts as soon as it is above too.
        var counts = session.RequestsPerMinute;
        var runs = Enumerable
            .Range(0, Math.Max(0, counts.Count - rule.Minutes + 1))
            .Select(start => counts.Skip(start).Take(rule.Minutes).ToList());
        if (runs.FirstOrDefault(run => run.All(n => n > rule.RequestsPerMinute)) is { } loop)
            return signal with
            {
                Observed = loop.Min(),
                Threshold = rule.RequestsPerMinute,
                Title =
                    $"Session {session.SessionId} of {session.User} made over {rule.RequestsPerMinute} requests a minute for {rule.Minutes} minutes",
            };
        if (session.CostUsd > rule.SessionCostUsd)
            return signal with
            {
                Observed = session.CostUsd,
                Threshold = rule.SessionCostUsd,
                Title = $"Session {session.SessionId} of {session.User} has cost ${session.CostUsd:0.00}",
            };
        var sinceHuman = now - (session.LastPromptAt ?? session.FirstAt);
        if (session.ToolSendsPrompts && sinceHuman >= TimeSpan.FromHours(rule.HoursWithoutPrompt))
            return signal with
            {
                Observed = (decimal)Math.Round(sinceHuman.TotalHours, 2),
                Threshold = (decimal)rule.HoursWithoutPrompt,
                Title =
                    $"Session {session.SessionId} of {session.User} has run {sinceHuman.TotalHours:0.0} hours without a user prompt",
            };
        return signal with
        {
            Holds = false,
            OpensBreaker = null,
            Detail = "the session is back within the runaway limits",
        };
    }
}
