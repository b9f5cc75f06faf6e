using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.UserDirectory;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Ingestion.OutcomeReports;

/// <summary>Where every outcome shape ends: authors resolve through the directory, then each id is stored once.</summary>
public sealed class OutcomeIntake(IdentityResolver identities, IdempotentWriter writer)
{
    public async Task<IngestResult> SubmitAsync(IReadOnlyList<OutcomeRecorded> outcomes, CancellationToken ct)
    {
        var known = await identities.ResolveAsync(outcomes.Select(o => o.User).OfType<string>(), ct);
        var resolved = outcomes
            .Select(outcome =>
            {
                if (outcome.User is null)
                    return outcome;
                var person = IdentityResolver.Resolve(known, outcome.User);
                return outcome with { User = person.User, Team = outcome.Team ?? person.Team };
            })
            .DistinctBy(o => o.Key)
            .ToList();
        var fresh = await writer.WriteOnceAsync(
            resolved.Select(o => IntakeKeys.Outcome(o.Key)),
            (claimed, session) =>
            {
                var stream = IntakeKeys.Stream(claimed);
                foreach (var outcome in resolved.Where(o => claimed.Contains(IntakeKeys.Outcome(o.Key))))
                    session.Events.Append(stream, outcome);
            },
            ct
        );
        return new IngestResult(fresh.Count, outcomes.Count - fresh.Count);
    }
}
