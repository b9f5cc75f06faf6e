using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Budgets.Monitoring;

/// <summary>
/// After each page of charges (or re-pricings, or budget changes), evaluates every budget period those charges fall
/// in — late charges count in the period they occurred in, if the budget existed before that period ended. Runs on
/// the async daemon; the ledger it reads was written in the same transactions as the charges, so it is never behind
/// them.
/// </summary>
public sealed class BudgetMonitorSubscription : SubscriptionBase
{
    // Resolved when events arrive: the document store is built with its subscriptions, so they cannot take it in.
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;

    public BudgetMonitorSubscription(IServiceProvider services, TimeProvider clock)
    {
        _services = services;
        _clock = clock;
        Name = "budget-monitor";
        BatchEventPages.Apply(Options);
        IncludeType<UsageChargedBatch>();
        IncludeType<UsageRepricedBatch>();
        IncludeType<BudgetSet>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken
    )
    {
        await using var session = _services.GetRequiredService<IDocumentStore>().QuerySession();
        var budgets = await session.Query<Budget>().ToListAsync(cancellationToken);
        if (budgets.Count == 0)
            return NullChangeListener.Instance;

        var touched = new List<(string User, string? Team, DateTimeOffset At)>();
        var changedBudgets = new HashSet<string>();
        foreach (var data in page.Events.Select(e => e.Data))
            switch (data)
            {
                case UsageChargedBatch charged:
                    touched.AddRange(charged.Items.Select(c => (c.User, c.Team, c.OccurredAt)));
                    break;
                case UsageRepricedBatch repriced:
                    touched.AddRange(repriced.Items.Select(r => (r.Charge.User, r.Charge.Team, r.Charge.OccurredAt)));
                    break;
                case BudgetSet set:
                    changedBudgets.Add(Budget.StreamKey(set.ScopeType, set.ScopeId));
                    break;
            }

        var periods = new Dictionary<(string, DateTimeOffset), (Budget, DateTimeOffset, DateTimeOffset)>();
        foreach (var budget in budgets)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(budget.TimeZone);
            var instants = touched.Where(t => budget.Covers(t.User, t.Team)).Select(t => t.At);
            if (changedBudgets.Contains(budget.Id))
                instants = instants.Append(_clock.GetUtcNow());
            foreach (var at in instants)
            {
                var (start, end) = BudgetPeriods.Containing(at, budget.Period, zone);
                // A budget speaks for the period it was set in and later ones, never for periods already over.
                if (end <= budget.FirstSetAt)
                    continue;
                periods.TryAdd((budget.Id, start), (budget, start, end));
            }
        }
        await _services.GetRequiredService<BudgetMonitor>().EvaluateAsync(periods.Values, cancellationToken);
        return NullChangeListener.Instance;
    }
}
