using System.Collections.Concurrent;
using Tokenwise.Contracts;

namespace Tokenwise.Alerting.Breakers;

/// <summary>
/// This instance's copy of every breaker and of who is in which team, so /v1/check never waits on the database.
/// Breakers arrive as <see cref="BreakerChanged"/> on a queue of this instance's own (every instance gets each
/// change) after a load from the database at start; a change older than the one held is ignored.
/// </summary>
public sealed class BreakerBoard
{
    private readonly ConcurrentDictionary<string, BreakerChanged> _breakers = new();
    private volatile IReadOnlyDictionary<string, string> _teams = new Dictionary<string, string>();

    public void Apply(BreakerChanged change) =>
        _breakers.AddOrUpdate(BreakerPolicy.IdOf(change.ScopeType, change.ScopeId), change,
            (_, held) => change.Version > held.Version ? change : held);

    public void SetTeams(IReadOnlyDictionary<string, string> teams) => _teams = teams;

    public BreakerChanged? Of(string scopeType, string scopeId) => _breakers.GetValueOrDefault(BreakerPolicy.IdOf(scopeType, scopeId));

    /// <summary>The first breaker that blocks this user now: the user's own, their team's, then any org-wide one.</summary>
    public BreakerChanged? Blocking(string user, string? team, DateTimeOffset now)
    {
        team ??= _teams.GetValueOrDefault(user);
        var candidates = new[] { Of("user", user), team is null ? null : Of("team", team) }
            .Concat(_breakers.Values.Where(b => b.ScopeType == "org"));
        return candidates.FirstOrDefault(b => BreakerPolicy.Blocks(b, now));
    }
}
