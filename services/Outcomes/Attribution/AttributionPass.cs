using Npgsql;
using Tokenwise.Outcomes.Storage;

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
    public async Task<IReadOnlyList<AttributionChange>> RunAsync(
        IReadOnlyCollection<string> newUsage,
        IReadOnlyCollection<string> newMerges,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        var keys = new HashSet<string>(newUsage, StringComparer.Ordinal);
        foreach (var merged in await store.MergedPrsAsync(newMerges, connection, ct))
            keys.UnionWith(await store.ClaimableByAsync(merged, window, connection, ct));
        if (keys.Count == 0)
            return [];

        var touched = await store.UsageByKeysAsync(keys, connection, ct);
        var touchedKeys = touched.Select(u => u.Facts.UsageKey).ToArray();
        var sessions = touched.Select(u => u.Facts.SessionId).OfType<string>().Distinct().ToArray();
        // What each session pointed at before this page (stored explicit attributions, counted), and after it: the
        // touched events' old explicit attributions taken out, their new ones put in.
        var counts = await store.ExplicitSessionCountsAsync(sessions, connection, ct);
        var before = counts.ToDictionary(s => s.Key, s => s.Value.Keys.ToHashSet());
        var prs = await store.CandidatesAsync(
            touched.Select(u => u.Facts).ToList(),
            before.Values.SelectMany(s => s),
            window,
            connection,
            ct
        );
        foreach (var usage in touched.Where(u => u.Facts.SessionId is not null))
        {
            var session = counts[usage.Facts.SessionId!];
            if (usage.Rule == nameof(AttributionRule.Explicit) && PrKey.TryParse(usage.AttributedPr) is { } was)
                session[was] = session.GetValueOrDefault(was) - 1;
            if (AttributionRules.ExplicitPr(usage.Facts, prs) is { } named)
                session[named] = session.GetValueOrDefault(named) + 1;
        }
        var sessionPrs = counts.ToDictionary(
            s => s.Key,
            s => s.Value.Where(c => c.Value > 0).Select(c => c.Key).ToHashSet()
        );
        var changedSessions = sessions.Where(s => !sessionPrs[s].SetEquals(before[s])).ToArray();
        var rest =
            changedSessions.Length == 0
                ? []
                : await store.SessionUsageAsync(changedSessions, touchedKeys, connection, ct);
        if (rest.Count > 0)
            prs = prs.Concat(
                    await store.CandidatesAsync(rest.Select(u => u.Facts).ToList(), [], window, connection, ct)
                )
                .DistinctBy(pr => pr.Key)
                .ToList();

        var byAuthor = prs.Where(pr => pr.Author is not null)
            .ToLookup(pr => pr.Author!, StringComparer.OrdinalIgnoreCase);
        var changes = new List<AttributionChange>();
        foreach (var usage in touched.Concat(rest))
        {
            var session = usage.Facts.SessionId is { } id ? sessionPrs[id] : [];
            // Only the PRs this event could go to, so the rules stay linear in the page's PRs.
            var candidates = prs.Where(pr =>
                    session.Contains(pr.Key) || AttributionRules.NamesExplicitly(usage.Facts, pr)
                )
                .Concat(byAuthor[usage.Facts.User])
                .DistinctBy(pr => pr.Key)
                .ToList();
            var decision = AttributionRules.Decide(usage.Facts, candidates, session, window);
            var pr = decision.Pr is { } key ? OutcomeStore.PrKeyOf(key.Repo, key.Number) : null;
            if (pr != usage.AttributedPr || decision.Rule?.ToString() != usage.Rule)
                changes.Add(new AttributionChange(usage, pr, decision.Rule));
        }
        return changes;
    }
}
