using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Npgsql;
using Tokenwise.Outcomes.Ledger;
using Tokenwise.Outcomes.Observing;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Outcomes.Attribution;

/// <summary>
/// Re-decides attribution wherever new data could change it — new usage (and the rest of its session), a new merge
/// (and the usage it could claim) — and records every change as a <see cref="UsageAttributed"/> event with the
/// table update, both committed with the daemon's progress. Late data works both ways: usage after its merge
/// attaches, a merge after its usage claims it.
/// </summary>
public sealed class AttributionSubscription : SubscriptionBase
{
    private readonly IServiceProvider _services;
    private readonly TokenwiseSettings _settings;
    private readonly TimeProvider _clock;

    public AttributionSubscription(IServiceProvider services, TokenwiseSettings settings, TimeProvider clock)
    {
        _services = services;
        _settings = settings;
        _clock = clock;
        Name = "attribution";
        IncludeType<ChargesObserved>();
        IncludeType<OutcomeObserved>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        var store = _services.GetRequiredService<AttributionStore>();
        var window = AttributionRules.DefaultWindow;
        await using var connection = new NpgsqlConnection(_settings.PostgresConnectionString);
        await connection.OpenAsync(ct);

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var data in page.Events.Select(e => e.Data))
        {
            if (data is ChargesObserved observed) keys.UnionWith(observed.Items.Select(c => c.UsageKey));
            else if (data is OutcomeObserved { PrKey: { } prKey } && await store.MergedPrAsync(prKey, connection, ct) is { } pr)
                keys.UnionWith((await store.ClaimableByAsync(pr, window, connection, ct)).Select(u => u.Facts.UsageKey));
        }
        if (keys.Count == 0) return NullChangeListener.Instance;

        var usage = await store.UsageAsync("usage_key = any(@keys)", p => p.AddWithValue("keys", keys.ToArray()), connection, ct);
        // A session that now names a PR changes the rest of the session too.
        var sessions = usage.Select(u => u.Facts.SessionId).OfType<string>().Distinct().ToArray();
        var sessionUsage = sessions.Length == 0 ? [] :
            await store.UsageAsync("session_id = any(@sessions)", p => p.AddWithValue("sessions", sessions), connection, ct);
        var all = usage.Concat(sessionUsage).DistinctBy(u => u.Facts.UsageKey).ToList();
        var bySession = all.Where(u => u.Facts.SessionId is not null).GroupBy(u => u.Facts.SessionId!)
            .ToDictionary(g => g.Key, g => g.Select(u => u.Facts).ToList());

        foreach (var stored in all)
        {
            var session = stored.Facts.SessionId is { } id ? bySession[id] : [];
            var candidates = await store.CandidatesAsync(stored.Facts, session, window, connection, ct);
            var decision = AttributionRules.Decide(stored.Facts, candidates, AttributionRules.SessionPrs(session, candidates), window);
            var pr = decision.Pr?.ToString().ToLowerInvariant();
            if (pr == stored.AttributedPr && decision.Rule?.ToString() == stored.Rule) continue;
            operations.QueueSqlCommand($"update {_settings.Schema}.{OutcomeTables.UsageFacts} set attributed_pr = ?, rule = ? where usage_key = ?",
                (object?)pr ?? DBNull.Value, (object?)decision.Rule?.ToString() ?? DBNull.Value, stored.Facts.UsageKey);
            operations.Events.Append("attribution:" + stored.Facts.UsageKey,
                new UsageAttributed(stored.Facts.UsageKey, pr, decision.Rule, stored.AttributedPr, _clock.GetUtcNow()));
        }
        return NullChangeListener.Instance;
    }
}
