using Marten;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Breakers;
using Tokenwise.Alerting.Signals;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Alerting.Desk;

/// <summary>The alerts and breakers a page touches, loaded once and kept current while the page is applied.</summary>
internal sealed class DeskState
{
    private readonly Dictionary<string, Alert> _alerts;
    private readonly Dictionary<string, string> _openBySlot;
    private readonly Dictionary<string, BreakerChanged> _breakers;
    private readonly HashSet<string> _changedAlerts = [];
    private readonly HashSet<string> _changedBreakers = [];

    private readonly ControlSigner _signer;

    private DeskState(List<Alert> alerts, List<BreakerDocument> breakers, ControlSigner signer)
    {
        _signer = signer;
        _alerts = alerts.DistinctBy(a => a.Id).ToDictionary(a => a.Id);
        _openBySlot = alerts.Where(a => a.IsOpen).GroupBy(a => a.Slot).ToDictionary(g => g.Key, g => g.First().Id);
        _breakers = breakers.ToDictionary(b => b.Id, b => b.Breaker);
    }

    public static async Task<DeskState> LoadAsync(
        IDocumentStore store,
        ControlSigner signer,
        IReadOnlyList<object> items,
        CancellationToken ct
    )
    {
        var signals = items.OfType<SignalsObserved>().SelectMany(s => s.Signals).ToList();
        var slots = signals.Select(s => s.Slot).Distinct().ToArray();
        var ids = items.OfType<AlertActionRequested>().Select(a => a.AlertId).Distinct().ToArray();
        var breakerIds = signals
            .Select(s => s.OpensBreaker)
            .OfType<BreakerRequest>()
            .Select(r => BreakerPolicy.IdOf(r.ScopeType, r.ScopeId))
            .Concat(items.OfType<BreakerOverrideRequested>().Select(o => BreakerPolicy.IdOf(o.ScopeType, o.ScopeId)))
            .Concat(items.OfType<BreakersDue>().SelectMany(d => d.BreakerIds))
            .Distinct()
            .ToArray();
        await using var query = store.QuerySession();
        var alerts = new List<Alert>();
        if (slots.Length > 0)
            alerts.AddRange(
                await query
                    .Query<Alert>()
                    .Where(a => slots.Contains(a.Slot) && a.Status != AlertStatuses.Resolved)
                    .ToListAsync(ct)
            );
        if (ids.Length > 0)
            alerts.AddRange(await query.LoadManyAsync<Alert>(ct, ids));
        var breakers =
            breakerIds.Length == 0 ? [] : (await query.LoadManyAsync<BreakerDocument>(ct, breakerIds)).ToList();
        return new DeskState(alerts, breakers, signer);
    }

    public Alert? OpenIn(string slot) => _openBySlot.TryGetValue(slot, out var id) ? _alerts[id] : null;

    public Alert? Alert(string id) => _alerts.GetValueOrDefault(id);

    public BreakerChanged? Breaker(string id) => _breakers.GetValueOrDefault(id);

    public BreakerChanged? Breaker(string scopeType, string scopeId) => Breaker(BreakerPolicy.IdOf(scopeType, scopeId));

    public void Apply(object? alertEvent, IDocumentOperations operations)
    {
        if (alertEvent is null || AlertLifecycle.Evolve(alertEvent) is not { } alert)
            return;
        operations.Events.Append(alert.Id, alertEvent);
        _alerts[alert.Id] = alert;
        if (alert.IsOpen)
            _openBySlot[alert.Slot] = alert.Id;
        else if (_openBySlot.GetValueOrDefault(alert.Slot) == alert.Id)
            _openBySlot.Remove(alert.Slot);
        _changedAlerts.Add(alert.Id);
    }

    public void Apply(BreakerChanged? change, IDocumentOperations operations)
    {
        if (change is null)
            return;
        // Signed: every Alerting instance's board takes only breaker changes a service made (BreakerChangesConsumer).
        change = _signer.Sign(change);
        var id = BreakerPolicy.IdOf(change.ScopeType, change.ScopeId);
        operations.Events.Append(id, change);
        _breakers[id] = change;
        _changedBreakers.Add(id);
    }

    public void StoreChanges(IDocumentOperations operations)
    {
        foreach (var id in _changedAlerts)
            operations.Store(_alerts[id]);
        foreach (var id in _changedBreakers)
            operations.Store(new BreakerDocument(id, _breakers[id]));
    }
}
