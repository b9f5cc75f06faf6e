using Tokenwise.Contracts;

namespace Tokenwise.Alerting.Breakers;

public static class BreakerStates
{
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>
/// Whether a user, team or org may spend now. Pure: a breaker opens until the next period (a hard budget's period
/// end, or the end of the UTC day for a critical runaway or burn rate); a manager's override lets spend through
/// until its own end, and a breaker that would open meanwhile stays closed.
/// </summary>
public static class BreakerPolicy
{
    public static string IdOf(string scopeType, string scopeId) => $"breaker:{scopeType}:{scopeId}";

    public static BreakerChanged? Open(
        BreakerChanged? current,
        string scopeType,
        string scopeId,
        DateTimeOffset until,
        string reason,
        DateTimeOffset at
    )
    {
        if (current?.Override is { } o && o.Until > at)
            return null;
        if (current is { State: BreakerStates.Open } && current.Until >= until)
            return null;
        return new BreakerChanged
        {
            ScopeType = scopeType,
            ScopeId = scopeId,
            State = BreakerStates.Open,
            Reason = reason,
            Since = current is { State: BreakerStates.Open } ? current.Since : at,
            Until = until,
            Version = (current?.Version ?? 0) + 1,
        };
    }

    /// <summary>Closes a breaker whose period has ended.</summary>
    public static BreakerChanged? Expire(BreakerChanged current, DateTimeOffset now) =>
        current.State == BreakerStates.Open && current.Until <= now
            ? current with
            {
                State = BreakerStates.Closed,
                Reason = "the period ended",
                Since = now,
                Until = null,
                Version = current.Version + 1,
            }
            : null;

    public static BreakerChanged Override(
        BreakerChanged? current,
        string scopeType,
        string scopeId,
        BreakerOverride by,
        DateTimeOffset at
    ) =>
        new()
        {
            ScopeType = scopeType,
            ScopeId = scopeId,
            State = BreakerStates.Closed,
            Reason = $"overridden by {by.By}: {by.Reason}",
            Since = at,
            Until = null,
            Override = by,
            Version = (current?.Version ?? 0) + 1,
        };

    /// <summary>Refuses while open, unless its period has already ended (the close is on its way) or an override runs.</summary>
    public static bool Blocks(BreakerChanged? breaker, DateTimeOffset now) =>
        breaker is { State: BreakerStates.Open }
        && (breaker.Until is null || breaker.Until > now)
        && !(breaker.Override?.Until > now);
}
