using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Idempotency;
using Tokenwise.Ingestion.UserDirectory;

namespace Tokenwise.Ingestion.Usage;

/// <summary>Where every usage shape ends: names resolve through the directory, then each id is stored once.</summary>
public sealed class UsageIntake(IdentityResolver identities, IdempotentAppender appender)
{
    public async Task<IngestResult> SubmitAsync(IReadOnlyList<UsageRecorded> items, CancellationToken ct,
        IReadOnlyList<ActivityRecorded>? activities = null)
    {
        activities ??= [];
        var known = await identities.ResolveAsync(items.Select(u => u.User).Concat(activities.Select(a => a.User)), ct);
        var events = items.Select(usage =>
            {
                var person = IdentityResolver.Resolve(known, usage.User);
                return new KeyedEvent(UsageKeys.StreamKey(usage.Key), usage with { User = person.User, Team = usage.Team ?? person.Team });
            })
            .Concat(activities.Select(activity =>
            {
                var person = IdentityResolver.Resolve(known, activity.User);
                return new KeyedEvent(UsageKeys.ActivityStreamKey(activity.Key),
                    activity with { User = person.User, Team = activity.Team ?? person.Team });
            }))
            .ToList();
        var result = await appender.AppendNewAsync(events, ct);
        return new IngestResult(result.Accepted, result.Duplicates);
    }
}
