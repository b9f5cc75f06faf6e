using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// A key this service accepts, learnt from <see cref="ApiKeyIssued"/> / <see cref="ApiKeyRevoked"/>. Revocation is
/// final: a revocation that arrives before the issue leaves a tombstone the issue cannot revive.
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

    public bool Usable => RevokedAt is null && KeyHash.Length > 0;

    public static KnownApiKey Issued(KnownApiKey? existing, ApiKeyIssued issued) => new()
    {
        Id = issued.KeyId, Source = issued.Source, Scopes = issued.Scopes.ToList(), KeyHash = issued.KeyHash,
        Description = issued.Description, User = issued.User, Teams = issued.Teams.ToList(), IssuedAt = issued.IssuedAt,
        RevokedAt = existing?.RevokedAt,
    };

    public static KnownApiKey Revoked(KnownApiKey? existing, ApiKeyRevoked revoked)
    {
        var key = existing ?? new KnownApiKey { Id = revoked.KeyId };
        key.RevokedAt ??= revoked.RevokedAt;
        return key;
    }
}
