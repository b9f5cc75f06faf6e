namespace Tokenwise.Contracts;

/// <summary>
/// Every key Ingestion has issued, as it stands, and whether the bootstrap key is switched off: sent every 30 seconds
/// (Tokenwise:Keys:SnapshotEverySeconds) so that a service that missed a revocation, or anything else, is right again
/// within that time.
/// </summary>
public sealed record ApiKeysSnapshot
{
    public required IReadOnlyList<ApiKeyState> Keys { get; init; }
    public required bool BootstrapKeyDisabled { get; init; }
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public ApiKeysSnapshot WithSignature(string? signature) => this with { Signature = signature };
}

/// <summary>One key in a snapshot: what every service needs to check it, and whether it was revoked.</summary>
public sealed record ApiKeyState(
    string KeyId,
    string Source,
    IReadOnlyList<string> Scopes,
    string KeyHash,
    string? User,
    IReadOnlyList<string> Teams,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? RevokedAt
)
{
    public string? Description { get; init; }
}
