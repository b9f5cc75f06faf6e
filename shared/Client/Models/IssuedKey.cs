namespace Tokenwise.Client.Models;

/// <summary>A newly issued API key. <see cref="Key"/> is shown this once and cannot be retrieved again.</summary>
public sealed record IssuedKey(string Id, string Key, string Source, IReadOnlyList<string> Scopes, string? Description, DateTimeOffset IssuedAt);

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record KeySummary(string Id, string Source, IReadOnlyList<string> Scopes, string? Description, DateTimeOffset? IssuedAt, DateTimeOffset? RevokedAt);

/// <summary>What POST /v1/keys takes.</summary>
public sealed record KeyRequest(string Source, IReadOnlyList<string> Scopes, string? Description = null);
