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

    /// <summary>A personal key's user: it reports only this user's usage, and reads only what this user may see.</summary>
    public string? User { get; init; }

    /// <summary>A team key's teams: it reports only their people's usage, and reads only their figures.</summary>
    public IReadOnlyList<string> Teams { get; init; } = [];
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public ApiKeyIssued WithSignature(string? signature) => this with { Signature = signature };
}
