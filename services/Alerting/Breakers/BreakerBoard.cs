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

    // Org-wide breakers apply to every check; kept apart so a check never walks every user's breaker.
    private readonly ConcurrentDictionary<string, BreakerChanged> _orgBreakers = new();
    private volatile IReadOnlyDictionary<string, string> _teams = new Dictionary<string, string>();

    public void Apply(BreakerChanged change)
    {
        var id = BreakerPolicy.IdOf(change.ScopeType, change.ScopeId);
        _breakers.AddOrUpdate(id, change, (_, held) => change.Version > held.Version ? change : held);
        if (change.ScopeType == "org")
            _orgBreakers.AddOrUpdate(id, change, (_, held) => change.Version > held.Version ? change : held);
    }

    public void SetTeams(IReadOnlyDictionary<string, string> teams) => _teams = teams;

    /// <summary>The user's team in the directory, as this instance last read it.</summary>
    public string? TeamOf(string user) => _teams.GetValueOrDefault(user);

    /// <summary>Every breaker this instance holds, in any state.</summary>
    public IEnumerable<BreakerChanged> All => _breakers.Values;

    public BreakerChanged? Of(string scopeType, string scopeId) =>
        _breakers.GetValueOrDefault(BreakerPolicy.IdOf(scopeType, scopeId));

    /// <summary>The first breaker that blocks this user now: the user's own, their team's, then any org-wide one.</summary>
    public BreakerChanged? Blocking(string user, string? team, DateTimeOffset now)
    {
        team ??= _teams.GetValueOrDefault(user);
        var candidates = new[] { Of("user", user), team is null ? null : Of("team", team) }.Concat(_orgBreakers.Values);
        return candidates.FirstOrDefault(b => BreakerPolicy.Blocks(b, now));
    }
}
