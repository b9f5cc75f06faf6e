using Npgsql;
using Tokenwise.Outcomes.Ledger;

namespace Tokenwise.Outcomes.Attribution;

/// <summary>A usage event whose attribution changes: to a PR (or to none), by a rule.</summary>
public sealed record AttributionChange(StoredUsage Usage, string? Pr, AttributionRule? Rule);

/// <summary>
/// Re-decides, for one page of new usage and new merges, every usage event whose attribution could change, with a
/// fixed number of queries per page rather than per event: the touched usage (new, or claimable by a new merge),
/// and the rest of any session whose explicit PRs changed with it.
/// </summary>
public sealed class AttributionPass(AttributionStore store, TimeSpan window)
{
    public async Task<IReadOnlyList<AttributionChange>> RunAsync(IReadOnlyCollection<string> newUsage, IReadOnlyCollection<string> newMerges,
        NpgsqlConnection connection, CancellationToken ct)
    {
        var keys = new HashSet<string>(newUsage, StringComparer.Ordinal);
        foreach (var merged in await store.MergedPrsAsync(newMerges, connection, ct))
            keys.UnionWith((await store.ClaimableByAsync(merged, window, connection, ct)).Select(u => u.Facts.UsageKey));
        if (keys.Count == 0) return [];

        var touched = await store.UsageByKeysAsync(keys, connection, ct);
        var touchedKeys = touched.Select(u => u.Facts.UsageKey).ToArray();
        var sessions = touched.Select(u => u.Facts.SessionId).OfType<string>().Distinct().ToArray();
        // What the rest of each session already points at, and what it pointed at before this page.
        var sessionPrs = await store.ExplicitSessionPrsAsync(sessions, touchedKeys, connection, ct);
        var before = sessionPrs.ToDictionary(s => s.Key, s => s.Value.ToHashSet());
        var prs = await store.CandidatesAsync(touched.Select(u => u.Facts).ToList(), sessionPrs.Values.SelectMany(s => s), window, connection, ct);

        foreach (var usage in touched.Where(u => u.Facts.SessionId is not null))
        {
            if (AttributionRules.ExplicitPr(usage.Facts, prs) is { } named) sessionPrs[usage.Facts.SessionId!].Add(named);
            if (usage.Rule == nameof(AttributionRule.Explicit) && PrKey.TryParse(usage.AttributedPr) is { } was) before[usage.Facts.SessionId!].Add(was);
        }
        var changedSessions = sessions.Where(s => !sessionPrs[s].SetEquals(before[s])).ToArray();
        var rest = changedSessions.Length == 0 ? [] : await store.SessionUsageAsync(changedSessions, touchedKeys, connection, ct);
        if (rest.Count > 0)
            prs = prs.Concat(await store.CandidatesAsync(rest.Select(u => u.Facts).ToList(), [], window, connection, ct)).DistinctBy(pr => pr.Key).ToList();

        var byAuthor = prs.Where(pr => pr.Author is not null).ToLookup(pr => pr.Author!, StringComparer.OrdinalIgnoreCase);
        var changes = new List<AttributionChange>();
        foreach (var usage in touched.Concat(rest))
        {
            var session = usage.Facts.SessionId is { } id ? sessionPrs[id] : [];
            // Only the PRs this event could go to, so the rules stay linear in the page's PRs.
            var candidates = prs.Where(pr => session.Contains(pr.Key) || AttributionRules.NamesExplicitly(usage.Facts, pr))
                .Concat(byAuthor[usage.Facts.User]).DistinctBy(pr => pr.Key).ToList();
            var decision = AttributionRules.Decide(usage.Facts, candidates, session, window);
            var pr = decision.Pr is { } key ? OutcomeLedger.PrKeyOf(key.Repo, key.Number) : null;
            if (pr != usage.AttributedPr || decision.Rule?.ToString() != usage.Rule) changes.Add(new AttributionChange(usage, pr, decision.Rule));
        }
        return changes;
    }
}
