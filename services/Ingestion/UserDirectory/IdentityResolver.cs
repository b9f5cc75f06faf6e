using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Tokenwise.Ingestion.UserDirectory;

/// <summary>The person behind a name a sender used, and the team they belong to.</summary>
public sealed record ResolvedIdentity(string User, string? Team);

/// <summary>
/// Resolves the names senders use (emails, account uuids, logins) to directory users. Every request of a busy
/// gateway names the same few people, so answers (including "not in the directory") are cached for a few seconds;
/// a directory change clears this instance's cache at once and reaches other instances within that time.
/// </summary>
public sealed class IdentityResolver(IQuerySession session, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private const string Prefix = "identity:";

    public async Task<IReadOnlyDictionary<string, ResolvedIdentity>> ResolveAsync(
        IEnumerable<string> names,
        CancellationToken ct
    )
    {
        var known = new Dictionary<string, ResolvedIdentity>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in names.Select(DirectoryEntry.Normalize).Distinct())
        {
            if (!cache.TryGetValue(Prefix + name, out ResolvedIdentity? cached))
                missing.Add(name);
            else if (cached is not null)
                known[name] = cached;
        }
        if (missing.Count == 0)
            return known;

        var entries = await session
            .Query<DirectoryEntry>()
            .Where(e => e.Identities.Any(identity => missing.Contains(identity)))
            .ToListAsync(ct);
        var found = new Dictionary<string, ResolvedIdentity>(StringComparer.Ordinal);
        foreach (var entry in entries)
        foreach (var identity in entry.Identities)
            found[identity] = new ResolvedIdentity(entry.User, entry.Team);
        foreach (var name in missing)
        {
            var resolved = found.GetValueOrDefault(name);
            cache.Set(Prefix + name, resolved, CacheFor);
            if (resolved is not null)
                known[name] = resolved;
        }
        return known;
    }

    /// <summary>Forget what this instance cached about these names (after the directory changed them).</summary>
    public void Forget(IEnumerable<string> identities)
    {
        foreach (var identity in identities)
            cache.Remove(Prefix + DirectoryEntry.Normalize(identity));
    }

    /// <summary>The directory user for a name, or the name itself when the directory does not know it.</summary>
    public static ResolvedIdentity Resolve(IReadOnlyDictionary<string, ResolvedIdentity> known, string name) =>
        known.TryGetValue(DirectoryEntry.Normalize(name), out var found) ? found : new ResolvedIdentity(name, null);
}
