namespace Tokenwise.Client.Models;

/// <summary>PUT /v1/directory/users/{user}: the whole entry (a replacement, not a patch).</summary>
public sealed record DirectoryUserRequest(
    string? DisplayName,
    string? Email,
    string? Team,
    string? Manager,
    IReadOnlyList<string>? Aliases
);

/// <summary>A person in the directory with every name they are known by.</summary>
public sealed record DirectoryUser(
    string Id,
    string? DisplayName,
    string? Email,
    string? Team,
    string? Manager,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Identities,
    DateTimeOffset ChangedAt
);
