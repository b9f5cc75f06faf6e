namespace Tokenwise.Contracts;

/// <summary>
/// An API key was created. Carries only the key's SHA-256 hash, never the key: every service learns the key from
/// this message and can check it, and nobody can read it back.
/// </summary>
public sealed record ApiKeyIssued
{
    public required string KeyId { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required string KeyHash { get; init; }
    public string? Description { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
}
