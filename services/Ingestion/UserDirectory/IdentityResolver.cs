using Marten;

namespace Tokenwise.Ingestion.UserDirectory;

/// <summary>The person behind a name a sender used, and the team they belong to.</summary>
public sealed record ResolvedIdentity(string User, string? Team);

/// <summary>Resolves the names senders use (emails, account uuids, logins) to directory users in one query.</summary>
public sealed class IdentityResolver(IQuerySession session)
{
    public async Task<IReadOnlyDictionary<string, ResolvedIdentity>> ResolveAsync(IEnumerable<string> names, CancellationToken ct)
    {
        var wanted = names.Select(DirectoryEntry.Normalize).Distinct().ToArray();
        if (wanted.Length == 0) return new Dictionary<string, ResolvedIdentity>();
        var entries = await session.Query<DirectoryEntry>()
            .Where(e => e.Identities.Any(identity => wanted.Contains(identity)))
            .ToListAsync(ct);
        var byIdentity = new Dictionary<string, ResolvedIdentity>(StringComparer.Ordinal);
        foreach (var entry in entries)
            foreach (var identity in entry.Identities)
                byIdentity[identity] = new ResolvedIdentity(entry.User, entry.Team);
        return byIdentity;
    }

    /// <summary>The directory user for a name, or the name itself when the directory does not know it.</summary>
    public static ResolvedIdentity Resolve(IReadOnlyDictionary<string, ResolvedIdentity> known, string name) =>
        known.TryGetValue(DirectoryEntry.Normalize(name), out var found) ? found : new ResolvedIdentity(name, null);
}
