namespace Tokenwise.Client.Models;

/// <summary>A newly issued API key. <see cref="Key"/> is shown this once and cannot be retrieved again.</summary>
public sealed record IssuedKey(
    string Id,
    string Key,
    string Source,
    IReadOnlyList<string> Scopes,
    string? Description,
    DateTimeOffset IssuedAt
)
{
    /// <summary>A personal key's user; null for a key that speaks for anyone (or for teams).</summary>
    public string? User { get; init; }
    public IReadOnlyList<string> Teams { get; init; } = [];
}

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record KeySummary(
    string Id,
    string Source,
    IReadOnlyList<string> Scopes,
    string? Description,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? RevokedAt
)
{
    public string? User { get; init; }
    public IReadOnlyList<string> Teams { get; init; } = [];
}

/// <summary>
/// What POST /v1/keys takes. <see cref="User"/> makes a personal key, <see cref="Teams"/> a team key (both: either);
/// neither, a key that speaks for anyone (a gateway, an export job).
/// </summary>
public sealed record KeyRequest(string Source, IReadOnlyList<string> Scopes, string? Description = null)
{
    public string? User { get; init; }
    public IReadOnlyList<string>? Teams { get; init; }
}

/// <summary>GET /v1/keys/current: the presented key's id, source and scopes, and whom it speaks for.</summary>
public sealed record CurrentKey(
    string Id,
    string Source,
    IReadOnlyList<string> Scopes,
    string? User,
    IReadOnlyList<string> Teams
);
