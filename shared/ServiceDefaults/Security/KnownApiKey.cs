using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// A key this service accepts, learnt from <see cref="ApiKeyIssued"/> / <see cref="ApiKeyRevoked"/> and corrected by
/// <see cref="ApiKeysSnapshot"/>. Revocation is final: a revocation that arrives before the issue leaves a tombstone
/// the issue cannot revive, and no snapshot brings a revoked key back.
/// </summary>
public sealed class KnownApiKey
{
    public string Id { get; set; } = "";
    public string Source { get; set; } = "";
    public List<string> Scopes { get; set; } = [];
    public string KeyHash { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The user this key speaks for, when it is a personal key.</summary>
    public string? User { get; set; }

    /// <summary>The teams this key speaks for, when it is a team key.</summary>
    public List<string> Teams { get; set; } = [];
    public DateTimeOffset? IssuedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>How old a key missing from the owner's snapshot must be before it is taken as not issued by the owner.</summary>
    public static readonly TimeSpan StrayAfter = TimeSpan.FromMinutes(1);

    public bool Usable => RevokedAt is null && KeyHash.Length > 0;

    public static KnownApiKey Issued(KnownApiKey? existing, ApiKeyIssued issued) =>
        new()
        {
            Id = issued.KeyId,
            Source = issued.Source,
            Scopes = issued.Scopes.ToList(),
            KeyHash = issued.KeyHash,
            Description = issued.Description,
            User = issued.User,
            Teams = issued.Teams.ToList(),
            IssuedAt = issued.IssuedAt,
            RevokedAt = existing?.RevokedAt,
        };

    public static KnownApiKey Revoked(KnownApiKey? existing, ApiKeyRevoked revoked)
    {
        var key = existing ?? new KnownApiKey { Id = revoked.KeyId };
        key.RevokedAt ??= revoked.RevokedAt;
        return key;
    }

    public ApiKeyState State() =>
        new(Id, Source, Scopes, KeyHash, User, Teams, IssuedAt, RevokedAt) { Description = Description };

    /// <summary>
    /// This service's key list made to agree with the owner's snapshot: the keys that must be stored. A key the owner
    /// has is taken as the owner has it (a revocation held here stays); a usable key here that the owner did not have
    /// a minute before it took the snapshot is revoked as of then. A younger key is left to the next snapshot (its
    /// issue may have been committing while the snapshot was read), so a late or replayed snapshot undoes nothing newer.
    /// </summary>
    public static IReadOnlyList<KnownApiKey> Reconcile(IReadOnlyCollection<KnownApiKey> held, ApiKeysSnapshot snapshot)
    {
        var heldById = held.ToDictionary(k => k.Id);
        var owned = snapshot.Keys.Select(s => s.KeyId).ToHashSet();
        var changes = new List<KnownApiKey>();
        foreach (var state in snapshot.Keys)
        {
            var existing = heldById.GetValueOrDefault(state.KeyId);
            var wanted = new KnownApiKey
            {
                Id = state.KeyId,
                Source = state.Source,
                Scopes = state.Scopes.ToList(),
                KeyHash = state.KeyHash,
                Description = state.Description,
                User = state.User,
                Teams = state.Teams.ToList(),
                IssuedAt = state.IssuedAt,
                RevokedAt = existing?.RevokedAt ?? state.RevokedAt,
            };
            if (existing is null || !Same(existing, wanted))
                changes.Add(wanted);
        }
        foreach (
            var stray in held.Where(k =>
                k.Usable && !owned.Contains(k.Id) && (k.IssuedAt is null || k.IssuedAt < snapshot.TakenAt - StrayAfter)
            )
        )
        {
            stray.RevokedAt = snapshot.TakenAt;
            changes.Add(stray);
        }
        return changes;
    }

    private static bool Same(KnownApiKey a, KnownApiKey b) =>
        a.Source == b.Source
        && a.Scopes.SequenceEqual(b.Scopes)
        && a.KeyHash == b.KeyHash
        && a.Description == b.Description
        && a.User == b.User
        && a.Teams.SequenceEqual(b.Teams)
        && a.IssuedAt == b.IssuedAt
        && a.RevokedAt == b.RevokedAt;
}
