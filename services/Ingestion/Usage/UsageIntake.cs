using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.UserDirectory;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// Where every usage shape ends: names resolve through the directory, then the ids not seen before are committed as
/// one <see cref="UsageRecordedBatch"/> (and any activity signals beside it) in one transaction.
/// </summary>
public sealed class UsageIntake(IdentityResolver identities, IdempotentWriter writer)
{
    public async Task<IngestResult> SubmitAsync(IReadOnlyList<UsageRecorded> items, CancellationToken ct,
        IReadOnlyList<ActivityRecorded>? activities = null)
    {
        activities ??= [];
        var known = await identities.ResolveAsync(items.Select(u => u.User).Concat(activities.Select(a => a.User)), ct);
        var usage = items.Select(u =>
        {
            var person = IdentityResolver.Resolve(known, u.User);
            return u with { User = person.User, Team = u.Team ?? person.Team };
        }).DistinctBy(u => u.Key).ToList();
        var signals = activities.Select(a =>
        {
            var person = IdentityResolver.Resolve(known, a.User);
            return a with { User = person.User, Team = a.Team ?? person.Team };
        }).DistinctBy(a => a.Key).ToList();

        var fresh = await writer.WriteOnceAsync(
            usage.Select(u => IntakeKeys.Usage(u.Key)).Concat(signals.Select(a => IntakeKeys.Activity(a.Key))),
            (claimed, session) =>
            {
                var newUsage = usage.Where(u => claimed.Contains(IntakeKeys.Usage(u.Key))).ToList();
                var stream = IntakeKeys.Stream(claimed);
                if (newUsage.Count > 0)
                    session.Events.Append(stream, new UsageRecordedBatch { BatchId = BatchIds.Of(newUsage.Select(u => u.Key)), Items = newUsage });
                foreach (var signal in signals.Where(a => claimed.Contains(IntakeKeys.Activity(a.Key))))
                    session.Events.Append(stream, signal);
            }, ct);
        var total = items.Count + activities.Count;
        return new IngestResult(fresh.Count, total - fresh.Count);
    }
}
