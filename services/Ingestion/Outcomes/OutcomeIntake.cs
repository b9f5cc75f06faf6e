using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Idempotency;
using Tokenwise.Ingestion.UserDirectory;

namespace Tokenwise.Ingestion.Outcomes;

/// <summary>Where every outcome shape ends: authors resolve through the directory, then each id is stored once.</summary>
public sealed class OutcomeIntake(IdentityResolver identities, IdempotentAppender appender)
{
    public async Task<IngestResult> SubmitAsync(IReadOnlyList<OutcomeRecorded> outcomes, CancellationToken ct)
    {
        var known = await identities.ResolveAsync(outcomes.Select(o => o.User).OfType<string>(), ct);
        var events = outcomes.Select(outcome =>
        {
            if (outcome.User is null) return new KeyedEvent(OutcomeKeys.StreamKey(outcome.Key), outcome);
            var person = IdentityResolver.Resolve(known, outcome.User);
            return new KeyedEvent(OutcomeKeys.StreamKey(outcome.Key), outcome with { User = person.User, Team = outcome.Team ?? person.Team });
        }).ToList();
        var result = await appender.AppendNewAsync(events, ct);
        return new IngestResult(result.Accepted, result.Duplicates);
    }
}
