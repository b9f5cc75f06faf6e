using Marten;
using Marten.Exceptions;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.UserDirectory;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// Where every usage shape ends: names are resolved through the directory, then each id is appended once. Every
/// new event starts its own stream keyed by the idempotency key, in one transaction for the whole batch, so an id
/// is "claimed" only by a committed write: a failed write leaves nothing and a retry is accepted. A concurrent
/// request racing on the same id makes the loser's commit collide, and it checks again.
/// </summary>
public sealed class UsageIntake(IDocumentStore store, IdentityResolver identities, TokenwiseSettings settings)
{
    private const int MaxAttempts = 3;

    public async Task<IngestResult> SubmitAsync(IReadOnlyList<UsageRecorded> items, CancellationToken ct)
    {
        var known = await identities.ResolveAsync(items.Select(u => u.User), ct);
        var resolved = items.Select(usage =>
        {
            var person = IdentityResolver.Resolve(known, usage.User);
            return usage with { User = person.User, Team = usage.Team ?? person.Team };
        }).ToList();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendNewAsync(resolved, ct);
            }
            catch (ExistingStreamIdCollisionException) when (attempt < MaxAttempts)
            {
                // Another request committed one of these ids between our check and our commit: check again.
            }
        }
    }

    private async Task<IngestResult> AppendNewAsync(IReadOnlyList<UsageRecorded> items, CancellationToken ct)
    {
        var unique = items.DistinctBy(u => u.Key).ToList();
        await using var session = store.LightweightSession();
        var keys = unique.Select(u => UsageKeys.StreamKey(u.Key)).ToArray();
        var existing = (await session.AdvancedSql.QueryAsync<string>(
            $"select id from {settings.Schema}.mt_streams where id = any(?)", ct, [keys])).ToHashSet();

        var fresh = unique.Where(u => !existing.Contains(UsageKeys.StreamKey(u.Key))).ToList();
        foreach (var usage in fresh) session.Events.StartStream(UsageKeys.StreamKey(usage.Key), usage);
        if (fresh.Count > 0) await session.SaveChangesAsync(ct);
        return new IngestResult(fresh.Count, items.Count - fresh.Count);
    }
}
