using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Npgsql;
using Tokenwise.Outcomes.Observing;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Attribution;

/// <summary>
/// Re-decides attribution wherever new data could change it — new usage (and the rest of its session), a new merge
/// (and the usage it could claim) — and records every change as a <see cref="AttributionChange"/> (a page's together) with the
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
        BatchEventPages.Apply(Options);
        IncludeType<UsageObserved>();
        IncludeType<OutcomeObserved>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken ct
    )
    {
        var pass = _services.GetRequiredService<AttributionPass>();
        var data = page.Events.Select(e => e.Data).ToList();
        var usage = data.OfType<UsageObserved>().SelectMany(o => o.Items.Select(u => u.UsageKey)).ToList();
        var merges = data.OfType<OutcomeObserved>().Select(o => o.PrKey).OfType<string>().Distinct().ToList();
        if (usage.Count == 0 && merges.Count == 0)
            return NullChangeListener.Instance;

        await using var connection = new NpgsqlConnection(_settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        var changes = await pass.RunAsync(usage, merges, connection, ct);
        if (changes.Count == 0)
            return NullChangeListener.Instance;

        // One statement and one event for the whole page: per-usage streams made appends the bottleneck at 2,000 events/s.
        operations.QueueSqlCommand(
            OutcomeStore.SetAttributionsSql(_settings.Schema),
            changes.Select(c => c.Usage.Facts.UsageKey).ToArray(),
            changes.Select(c => c.Pr).ToArray(),
            changes.Select(c => c.Rule?.ToString()).ToArray()
        );
        var now = _clock.GetUtcNow();
        operations.Events.Append(
            $"attribution:{page.SequenceFloor}-{page.SequenceCeiling}",
            new AttributionsChanged(
                changes
                    .Select(c => new UsageAttribution(c.Usage.Facts.UsageKey, c.Pr, c.Rule, c.Usage.AttributedPr, now))
                    .ToList()
            )
        );
        return NullChangeListener.Instance;
    }
}
