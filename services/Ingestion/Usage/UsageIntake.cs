using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Keys;
using Tokenwise.Ingestion.UserDirectory;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Usage;

/// <summary>An item the sending key may not report: which one (usage or activity, by index), which field, why.</summary>
public sealed record Refusal(int Index, bool Activity, string Field, string Message);

/// <summary>What became of a submission: stored (with how many were new), or refused whole.</summary>
public sealed record IntakeAnswer(IngestResult? Stored, IReadOnlyList<Refusal> Refused, int Dropped = 0);

/// <summary>
/// Where every usage shape ends: names resolve through the directory, every item is checked against whom the key
/// speaks for (<see cref="SpeakingFor"/>), then the ids not seen before are committed as one
/// <see cref="UsageRecordedBatch"/> (and any activity signals beside it) in one transaction.
/// </summary>
public sealed class UsageIntake(IdentityResolver identities, IdempotentWriter writer)
{
    /// <param name="dropRefused">
    /// Telemetry's way (OTLP): items the key may not report are dropped and counted, the rest stored. Otherwise the
    /// whole request is refused when any item is, and nothing is stored.
    /// </param>
    public async Task<IntakeAnswer> SubmitAsync(
        IReadOnlyList<UsageRecorded> items,
        KeyBinding sender,
        CancellationToken ct,
        IReadOnlyList<ActivityRecorded>? activities = null,
        bool dropRefused = false
    )
    {
        activities ??= [];
        var names = items.Select(u => u.User).Concat(activities.Select(a => a.User));
        if (sender.User is { } keyUser)
            names = names.Append(keyUser);
        var known = await identities.ResolveAsync(names, ct);
        var speaker = sender.User is { } user ? IdentityResolver.Resolve(known, user) : null;

        var refused = new List<Refusal>();
        var usage = new List<UsageRecorded>();
        foreach (var (u, index) in items.Select((u, i) => (u, i)))
        {
            var person = IdentityResolver.Resolve(known, u.User);
            if (SpeakingFor.Refusal(sender, speaker, person, u.Team) is var (field, message))
                refused.Add(new Refusal(index, false, field, message));
            else
                usage.Add(u with { User = person.User, Team = u.Team ?? person.Team });
        }
        var signals = new List<ActivityRecorded>();
        foreach (var (a, index) in activities.Select((a, i) => (a, i)))
        {
            var person = IdentityResolver.Resolve(known, a.User);
            if (SpeakingFor.Refusal(sender, speaker, person, a.Team) is var (field, message))
                refused.Add(new Refusal(index, true, field, message));
            else
                signals.Add(a with { User = person.User, Team = a.Team ?? person.Team });
        }
        if (refused.Count > 0 && !dropRefused)
            return new IntakeAnswer(null, refused);

        usage = usage.DistinctBy(u => u.Key).ToList();
        signals = signals.DistinctBy(a => a.Key).ToList();
        var fresh = await writer.WriteOnceAsync(
            usage.Select(u => IntakeKeys.Usage(u.Key)).Concat(signals.Select(a => IntakeKeys.Activity(a.Key))),
            (claimed, session) =>
            {
                var newUsage = usage.Where(u => claimed.Contains(IntakeKeys.Usage(u.Key))).ToList();
                var stream = IntakeKeys.Stream(claimed);
                if (newUsage.Count > 0)
                    session.Events.Append(
                        stream,
                        new UsageRecordedBatch { BatchId = BatchIds.Of(newUsage.Select(u => u.Key)), Items = newUsage }
                    );
                foreach (var signal in signals.Where(a => claimed.Contains(IntakeKeys.Activity(a.Key))))
                    session.Events.Append(stream, signal);
            },
            ct
        );
        var total = items.Count + activities.Count - refused.Count;
        return new IntakeAnswer(new IngestResult(fresh.Count, total - fresh.Count), refused, refused.Count);
    }
}
