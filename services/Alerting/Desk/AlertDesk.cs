using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Breakers;
using Tokenwise.Alerting.Rules;
using Tokenwise.Alerting.Signals;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Alerting.Desk;

/// <summary>
/// Applies signals, API actions and breaker requests in commit order, on the instance leading the daemon, so there is
/// one open alert per rule and subject and no two writers of a stream. What it appends (alert and breaker events) and
/// the read models it stores commit with its progress: a redelivered page or a restart changes nothing twice.
/// </summary>
public sealed class AlertDesk : SubscriptionBase
{
    private readonly IServiceProvider _services;

    public AlertDesk(IServiceProvider services)
    {
        _services = services;
        Name = "alert-desk";
        IncludeType<SignalsObserved>();
        IncludeType<AlertActionRequested>();
        IncludeType<BreakerOverrideRequested>();
        IncludeType<BreakersDue>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken ct
    )
    {
        var items = page.Events.Select(e => e.Data).ToList();
        var settings = await _services.GetRequiredService<RuleBook>().CurrentAsync(ct);
        var state = await DeskState.LoadAsync(
            _services.GetRequiredService<IDocumentStore>(),
            _services.GetRequiredService<ControlSigner>(),
            items,
            ct
        );

        foreach (var item in items)
            switch (item)
            {
                case SignalsObserved observed:
                    foreach (var signal in observed.Signals.Where(s => !s.Holds || settings.Enabled(s.Kind)))
                    {
                        state.Apply(AlertLifecycle.Decide(signal, state.OpenIn(signal.Slot)), operations);
                        if (signal is { Holds: true, OpensBreaker: { } request })
                            state.Apply(
                                BreakerPolicy.Open(
                                    state.Breaker(request.ScopeType, request.ScopeId),
                                    request.ScopeType,
                                    request.ScopeId,
                                    request.Until,
                                    request.Reason,
                                    signal.At
                                ),
                                operations
                            );
                    }
                    break;
                case AlertActionRequested action:
                    state.Apply(AlertLifecycle.Decide(action, state.Alert(action.AlertId)), operations);
                    break;
                case BreakerOverrideRequested o:
                    state.Apply(
                        BreakerPolicy.Override(
                            state.Breaker(o.ScopeType, o.ScopeId),
                            o.ScopeType,
                            o.ScopeId,
                            o.Override,
                            o.At
                        ),
                        operations
                    );
                    break;
                case BreakersDue due:
                    foreach (var id in due.BreakerIds)
                        if (state.Breaker(id) is { } breaker)
                            state.Apply(BreakerPolicy.Expire(breaker, due.At), operations);
                    break;
            }
        state.StoreChanges(operations);
        return NullChangeListener.Instance;
    }
}
